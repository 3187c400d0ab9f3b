import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chunker } from '../../../src/core/backup/chunker';
import { findNode } from '../../../src/core/backup/listing';
import { LocalBackend } from '../../../src/core/backup/localBackend';
import { Repository } from '../../../src/core/backup/repository';
import { PASSWORD, passwordFile, restic, tempDir } from './helpers';

/** Our chunk ids for `data`, fed in pieces of the given sizes (cycled). */
function chunkIds(pol: string, data: Buffer, sizes: number[]): string[] {
  const c = new Chunker(pol);
  const ids: string[] = [];
  let from = 0;
  let pos = 0;
  for (let k = 0; pos < data.length; k++) {
    const n = Math.min(sizes[k % sizes.length]!, data.length - pos);
    for (const cut of c.cuts(data.subarray(pos, pos + n))) {
      ids.push(createHash('sha256').update(data.subarray(from, pos + cut)).digest('hex'));
      from = pos + cut;
    }
    pos += n;
  }
  if (from < data.length) ids.push(createHash('sha256').update(data.subarray(from)).digest('hex'));
  return ids;
}

describe('chunker: the cuts restic makes, with the repository\'s polynomial', () => {
  const dir = tempDir('chunker');
  const pw = passwordFile(dir);
  const repoPath = join(dir, 'repo');
  const src = join(dir, 'src');
  let repo: Repository;
  before(async () => {
    mkdirSync(src);
    writeFileSync(join(src, 'random.bin'), randomBytes(20 * 1024 * 1024));
    // 20 MiB of one byte value: no content cut, so restic cuts at the 8 MiB maximum
    writeFileSync(join(src, 'flat.bin'), Buffer.alloc(20 * 1024 * 1024, 7));
    await restic(pw, repoPath, 'init', '--repository-version', '2');
    await restic(pw, repoPath, 'backup', src);
    repo = await Repository.open(new LocalBackend(repoPath), PASSWORD);
  });

  for (const name of ['random.bin', 'flat.bin']) {
    it(`${name}: the same chunk ids as restic, whatever the read sizes`, async () => {
      const snap = await repo.findSnapshot('latest');
      const node = (await findNode(repo, snap.tree, join(src, name)))!.node!;
      const data = readFileSync(join(src, name));
      for (const sizes of [[1024 * 1024], [63, 64, 65, 100_000], [7_000_000, 13], [data.length]]) {
        assert.deepEqual(chunkIds(repo.config.chunker_polynomial, data, sizes), node.content, `read sizes ${sizes.join(',')}`);
      }
      assert.ok(node.content!.length >= 3);
    });
  }
});
