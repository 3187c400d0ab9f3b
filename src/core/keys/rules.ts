/**
 * Recipient rules: which age recipients new and re-encrypted files get, by location glob.
 * An X25519 header does not reveal its recipients, so they must come from somewhere the user
 * controls; rules hold only public recipients, never a secret.
 */
export interface RecipientRule {
  /** e.g. `s3://bucket/secrets/**` or `/home/me/vault/*.age`. */
  glob: string;
  recipients: string[];
}

const cache = new Map<string, RegExp>();

/** `**` spans folders, `*` and `?` stay within one, `{a,b}` picks one; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re !== undefined) return re;
  let src = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      // `dir/**` also matches `dir` itself, and `**/` may match nothing.
      if (glob[i + 2] === '/') {
        src += '(?:.*/)?';
        i += 2;
      } else {
        src += '.*';
        i += 1;
      }
    } else if (c === '*') src += '[^/]*';
    else if (c === '?') src += '[^/]';
    else if (c === '{') {
      braces++;
      src += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      src += ')';
    } else if (c === ',' && braces > 0) src += '|';
    else src += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  src = src.replace(/\/\.\*$/, '(?:/.*)?');
  re = new RegExp(`^${src}${')'.repeat(braces)}$`);
  cache.set(glob, re);
  return re;
}

export function matchesGlob(location: string, glob: string): boolean {
  return globToRegExp(glob).test(location);
}

/** Every recipient of every rule that matches `location`, without duplicates, in rule order. */
export function recipientsFor(rules: readonly RecipientRule[], location: string): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    if (matchesGlob(location, rule.glob)) for (const r of rule.recipients) out.add(r);
  }
  return [...out];
}

/** Checks a settings value, keeping only well-formed rules. */
export function parseRules(value: unknown): RecipientRule[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (r): r is RecipientRule =>
      typeof r === 'object' && r !== null && typeof (r as RecipientRule).glob === 'string' && Array.isArray((r as RecipientRule).recipients) && (r as RecipientRule).recipients.every((x) => typeof x === 'string'),
  );
}

/** The rules with `glob` set to `recipients`; an empty list removes the rule. */
export function withRule(rules: readonly RecipientRule[], glob: string, recipients: readonly string[]): RecipientRule[] {
  const rest = rules.filter((r) => r.glob !== glob);
  return recipients.length === 0 ? rest : [...rest, { glob, recipients: [...recipients] }];
}

/** Loose syntax check for `age1...` recipients, without loading the codec. */
export const RECIPIENT_PATTERN = /^age1[02-9ac-hj-np-z]{58}$/;
/** Loose syntax check for `AGE-SECRET-KEY-1...` identities, without loading the codec. */
export const IDENTITY_PATTERN = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;
