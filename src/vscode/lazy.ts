/**
 * Heavy modules (AWS SDK, sql.js, the crypto stack) and each area's command handlers and
 * renderers live in their own bundles in dist/ and are required here on first use, so
 * activation pays only for the registrations. Elsewhere in src/vscode only `import type` of
 * them is allowed (scripts/build.mjs checks the main bundle).
 */
import type * as BackupModule from '../lazy/backup';
import type * as BackupUi from '../lazy/backupUi';
import type * as CodecModule from '../lazy/codec';
import type * as KeysUi from '../lazy/keysUi';
import type * as LocalUi from '../lazy/localUi';
import type * as PgModule from '../lazy/pg';
import type * as PgUi from '../lazy/pgUi';
import type * as S3Module from '../lazy/s3';
import type * as S3Ui from '../lazy/s3Ui';
import type * as SqlModule from '../lazy/sql';
import type * as SqlUi from '../lazy/sqlUi';

const cache = new Map<string, unknown>();

function load<T>(bundle: string): T {
  let mod = cache.get(bundle);
  if (mod === undefined) {
    // A computed path keeps esbuild from inlining the bundle into the main one.
    mod = require(`${__dirname}/${bundle}.js`) as T;
    cache.set(bundle, mod);
  }
  return mod as T;
}

export const backup = (): typeof BackupModule => load('backup');
export const codec = (): typeof CodecModule => load('codec');
export const s3 = (): typeof S3Module => load('s3');
export const sql = (): typeof SqlModule => load('sql');
export const pg = (): typeof PgModule => load('pg');

/** An area's command handlers and tree renderer. */
export const ui = {
  backup: (): typeof BackupUi => load('backup-ui'),
  keys: (): typeof KeysUi => load('keys-ui'),
  local: (): typeof LocalUi => load('local-ui'),
  pg: (): typeof PgUi => load('pg-ui'),
  s3: (): typeof S3Ui => load('s3-ui'),
  sql: (): typeof SqlUi => load('sql-ui'),
};
