import type { TreeNode } from './model';

/** An RFC 3339 time as nanoseconds since the epoch, so equal instants compare equal whatever the zone. */
export function timeNs(s: string | undefined): bigint {
  if (!s) return 0n;
  const m = /^(.*?:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  const whole = Date.parse(m ? m[1]! + m[3]! : s);
  if (Number.isNaN(whole)) return 0n;
  const frac = m?.[2] ? BigInt(m[2].padEnd(9, '0').slice(0, 9)) : 0n;
  return BigInt(whole) * 1_000_000n + frac;
}

/** Go's reflect.DeepEqual on content: a nil list (null, absent) is not an empty one. */
export function sameContent(a: TreeNode, b: TreeNode): boolean {
  const x = a.content ?? null;
  const y = b.content ?? null;
  if (x === null || y === null) return x === y;
  return x.length === y.length && x.every((id, i) => id === y[i]);
}

/** Go's zero values for absent fields, as restic's Node.Equals sees them. */
function same<T>(a: T | undefined, b: T | undefined, zero: T): boolean {
  return (a ?? zero) === (b ?? zero);
}

/**
 * restic's Node.Equals: every stored field, times as instants. `withContent` false leaves the
 * content out (restic's test for likely bit rot: same metadata, other content).
 */
export function sameNode(a: TreeNode, b: TreeNode, withContent = true): boolean {
  if (a.name !== b.name || a.type !== b.type || !same(a.mode, b.mode, 0)) return false;
  if (timeNs(a.mtime) !== timeNs(b.mtime) || timeNs(a.atime) !== timeNs(b.atime) || timeNs(a.ctime) !== timeNs(b.ctime)) return false;
  if (!same(a.uid, b.uid, 0) || !same(a.gid, b.gid, 0) || !same(a.user, b.user, '') || !same(a.group, b.group, '')) return false;
  if (!same(a.inode, b.inode, 0) || !same(a.device_id, b.device_id, 0) || !same(a.size, b.size, 0) || !same(a.links, b.links, 0)) return false;
  if (!same(a.linktarget, b.linktarget, '') || !same(a.device, b.device, 0) || !same(a.subtree, b.subtree, '')) return false;
  if (JSON.stringify(a.extended_attributes ?? null) !== JSON.stringify(b.extended_attributes ?? null)) return false;
  // restic compares the lengths and ids, so here an empty list equals a missing one
  return !withContent || (a.content ?? []).join() === (b.content ?? []).join();
}
