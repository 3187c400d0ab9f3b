/**
 * Heavy modules (AWS SDK, sql.js, the crypto stack) live in their own bundles in dist/
 * and are required here on first use, so activation never pays for them.
 * Only `import type` of those areas is allowed elsewhere in src/vscode.
 */
import type * as CodecModule from '../lazy/codec';
import type * as S3Module from '../lazy/s3';
import type * as SqlModule from '../lazy/sql';

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

export const codec = (): typeof CodecModule => load('codec');
export const s3 = (): typeof S3Module => load('s3');
export const sql = (): typeof SqlModule => load('sql');
