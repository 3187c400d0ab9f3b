import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';

/** Asserts that `b` holds what `a` holds: names, bytes, modes, symlink targets, and (optionally) mtimes. */
export function assertSameTree(a: string, b: string, o: { times?: boolean } = {}): number {
  let count = 0;
  const sa = lstatSync(a);
  const sb = lstatSync(b);
  assert.equal(sb.mode, sa.mode, `mode of ${b}`);
  if (o.times && !sa.isSymbolicLink()) {
    // utimes takes seconds as a double: about a microsecond of precision at today's epoch
    const ns = Number(lstatSync(a, { bigint: true }).mtimeNs - lstatSync(b, { bigint: true }).mtimeNs);
    assert.ok(Math.abs(ns) < 2000, `mtime of ${b} is ${ns} ns off`);
  }
  if (sa.isSymbolicLink()) {
    assert.equal(readlinkSync(b), readlinkSync(a), `link ${b}`);
    return 1;
  }
  if (sa.isFile()) {
    assert.ok(readFileSync(b).equals(readFileSync(a)), `bytes of ${b}`);
    return 1;
  }
  const na = readdirSync(a).sort();
  const nb = readdirSync(b).sort();
  assert.deepEqual(nb, na, `entries of ${b}`);
  for (const n of na) count += assertSameTree(join(a, n), join(b, n), o);
  return count + 1;
}
