import * as vscode from 'vscode';
import type { DecodeInfo, DecodeOptions, EncodeOptions } from '../../core/codec/api';
import { storageError } from '../../core/errors';
import { IDENTITY_PATTERN, parseRules, recipientsFor, withRule, type RecipientRule } from '../../core/keys/rules';
import type { Ctx } from '../ctx';
import { readSetting, writeSetting } from '../settings';
import { codec } from '../lazy';
import { input } from '../prompts';

/** SecretStorage entry: a JSON array of `AGE-SECRET-KEY-1...` strings (shared with the Local view). */
export const IDENTITIES_SECRET = 'storageInspector.identities';

/**
 * Where the Local, S3 and SQL features get age keys: identities from SecretStorage, recipients
 * from the location rules in the settings, and a passphrase asked at most once per document.
 */
export class KeyService {
  private readonly passphrases = new Map<string, string>();
  /** Asks for a passphrase; tests replace it to answer by script. */
  askPassphrase: (docKey: string) => Promise<string | undefined> = (docKey) =>
    Promise.resolve(
      input({
        password: true,
        ignoreFocusOut: true,
        title: 'Passphrase',
        prompt: `Passphrase for ${docKey}`,
      }),
    );

  constructor(private readonly ctx: Ctx) {}

  async identities(): Promise<string[]> {
    const stored = await this.ctx.secrets.get(IDENTITIES_SECRET);
    if (stored === undefined) return [];
    try {
      const list = JSON.parse(stored) as unknown;
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      this.ctx.log.warn('The stored identity list is not valid JSON; it was ignored.');
      return [];
    }
  }

  /** Stores identities (duplicates skipped); returns how many were new. Checked only by syntax here. */
  async addIdentities(identities: readonly string[]): Promise<number> {
    const bad = identities.filter((i) => !IDENTITY_PATTERN.test(i)).length;
    if (bad > 0) throw storageError('BadInput', `${bad} of the identities is not an age identity (AGE-SECRET-KEY-1...); nothing was stored.`);
    const current = await this.identities();
    const added = identities.filter((i, n) => !current.includes(i) && identities.indexOf(i) === n);
    if (added.length > 0) await this.ctx.secrets.store(IDENTITIES_SECRET, JSON.stringify([...current, ...added]));
    return added.length;
  }

  /** Removes the identity whose recipient is `recipient`; true when one was removed. */
  async removeIdentity(recipient: string): Promise<boolean> {
    const current = await this.identities();
    const toRecipient = codec().identityToRecipient;
    const kept = current.filter((i) => toRecipient(i) !== recipient);
    if (kept.length === current.length) return false;
    await this.ctx.secrets.store(IDENTITIES_SECRET, JSON.stringify(kept));
    return true;
  }

  /** The recipients of the stored identities: safe to show and copy. */
  async recipients(): Promise<string[]> {
    const ids = await this.identities();
    if (ids.length === 0) return [];
    const toRecipient = codec().identityToRecipient;
    return ids.map((i) => toRecipient(i));
  }

  rules(): RecipientRule[] {
    return parseRules(readSetting('encryption.recipientRules'));
  }

  recipientsFor(location: string): string[] {
    return recipientsFor(this.rules(), location);
  }

  /** Writes (or, with no recipients, removes) the rule for `glob` in the user settings. */
  async setRecipients(glob: string, recipients: readonly string[], target = vscode.ConfigurationTarget.Global): Promise<void> {
    await writeSetting('encryption.recipientRules', withRule(this.rules(), glob, recipients), target);
  }

  /** Identities, and a passphrase prompt that asks once per document and remembers the answer. */
  async decodeOptions(docKey: string): Promise<DecodeOptions> {
    return {
      identities: await this.identities(),
      maxScryptLogN: readSetting('encryption.maxScryptWorkFactor'),
      passphrase: async () => {
        const known = this.passphrases.get(docKey);
        if (known !== undefined) return known;
        const asked = await this.askPassphrase(docKey);
        if (asked !== undefined) this.passphrases.set(docKey, asked);
        return asked;
      },
    };
  }

  /** Remembers a passphrase for a document (e.g. one the user already gave), in memory only. */
  setPassphrase(docKey: string, passphrase: string): void {
    this.passphrases.set(docKey, passphrase);
  }

  /** Forgets a document's passphrase: after a wrong one, or when the document closes. */
  forget(docKey: string): void {
    this.passphrases.delete(docKey);
  }

  /**
   * How to re-encrypt a document: the same passphrase, or the recipient of the identity that
   * decrypted it plus the recipients the location's rules add.
   */
  async encodeOptions(location: string, info: DecodeInfo): Promise<EncodeOptions> {
    if (info.passphrase !== undefined) return { passphrase: info.passphrase };
    const recipients = new Set<string>();
    if (info.identity !== undefined) recipients.add(codec().identityToRecipient(info.identity));
    for (const r of this.recipientsFor(location)) recipients.add(r);
    if (recipients.size === 0 && info.layers.some((l) => l.kind === 'age')) {
      throw storageError('WrongKey', `No age recipient is known for ${location}. Run "Storage: Set Recipients for Location" first.`);
    }
    return { recipients: [...recipients] };
  }
}
