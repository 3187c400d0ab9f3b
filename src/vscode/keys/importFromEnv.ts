import { readFile } from 'node:fs/promises';
import { IDENTITY_PATTERN } from '../../core/keys/rules';
import type { Ctx } from '../ctx';

/** Names an `age-keygen` file whose identities are imported on activation (the demo sets it). */
export const IMPORT_IDENTITY_ENV = 'STORAGE_INSPECTOR_IMPORT_IDENTITY';

/** Identity lines of an `age-keygen` file, found without loading the crypto bundle. */
export function identityLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => IDENTITY_PATTERN.test(l));
}

/** Runs after activation returns; failures are logged, never shown or thrown. */
export async function importFromEnv(ctx: Ctx): Promise<void> {
  const file = process.env[IMPORT_IDENTITY_ENV];
  if (!file) return;
  try {
    const found = identityLines(await readFile(file, 'utf8'));
    const added = await ctx.keys.addIdentities(found);
    ctx.log.info(`${IMPORT_IDENTITY_ENV}: ${found.length} identities in the file, ${added} new.`);
  } catch (e) {
    ctx.log.warn(`${IMPORT_IDENTITY_ENV}: could not import identities (${(e as Error).message}).`);
  }
}
