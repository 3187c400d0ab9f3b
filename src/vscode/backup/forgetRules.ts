import type { ForgetPolicy } from '../../core/backup/forgetPolicy';
import { storageError } from '../../core/errors';

const KEYS: Record<string, keyof Omit<ForgetPolicy, 'keepTags'>> = {
  last: 'keepLast',
  hourly: 'keepHourly',
  daily: 'keepDaily',
  weekly: 'keepWeekly',
  monthly: 'keepMonthly',
  yearly: 'keepYearly',
};

/** What "Forget Snapshots..." offers first: restic's documentation's everyday rule set. */
export const DEFAULT_RULES = 'last 3, daily 7, weekly 4, monthly 12';

/**
 * `last 3, daily 7, weekly 4, monthly 12, yearly all, tag keep` as restic forget's --keep-* flags:
 * a count (or `all`, restic's -1) per rule, and `tag a,b` for --keep-tag.
 */
export function parseRules(text: string): ForgetPolicy {
  const policy: ForgetPolicy = {};
  // A comma starts a new rule only before a rule's word, so `tag a,b` keeps its list.
  const parts = text.split(/[,;]\s*(?=(?:last|hourly|daily|weekly|monthly|yearly|tag)\b)/i).map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw storageError('BadInput', `Name at least one rule, as in "${DEFAULT_RULES}".`);
  for (const part of parts) {
    const m = /^([a-z]+)\s+(.+)$/i.exec(part);
    const word = m?.[1]?.toLowerCase() ?? '';
    const value = m?.[2]?.trim() ?? '';
    if (word === 'tag') {
      policy.keepTags = [...(policy.keepTags ?? []), value];
      continue;
    }
    const key = KEYS[word];
    const n = value.toLowerCase() === 'all' ? -1 : /^\d+$/.test(value) ? Number(value) : NaN;
    if (!key || Number.isNaN(n)) throw storageError('BadInput', `"${part}" is not a rule. Use last, hourly, daily, weekly, monthly or yearly with a count (or "all"), or "tag NAME", as in "${DEFAULT_RULES}".`);
    policy[key] = n;
  }
  return policy;
}
