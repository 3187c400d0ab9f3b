/** Go's fs.FileMode bits, which restic stores in `mode`, and the mapping to and from POSIX modes. */
export const GO_MODE = {
  dir: 2 ** 31,
  symlink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  charDevice: 2 ** 21,
  sticky: 2 ** 20,
  irregular: 2 ** 19,
} as const;

// Go's letters for the type bits, from bit 31 down to bit 19 (fs.FileMode.String).
const LETTERS = 'dalTLDpSugct?';

/** `drwxr-xr-x`, exactly as Go prints a FileMode (restic ls's `permissions`). */
export function goModeString(mode: number): string {
  let out = '';
  for (let i = 0; i < LETTERS.length; i++) {
    if (Math.floor(mode / 2 ** (31 - i)) % 2 === 1) out += LETTERS[i];
  }
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += mode & (1 << (8 - i)) ? rwx[i] : '-';
  return out;
}

/** The POSIX permission bits (with setuid, setgid, sticky) of a Go mode, for chmod. */
export function posixPermissions(mode: number): number {
  let p = mode & 0o777;
  if (Math.floor(mode / GO_MODE.setuid) % 2 === 1) p |= 0o4000;
  if (Math.floor(mode / GO_MODE.setgid) % 2 === 1) p |= 0o2000;
  if (Math.floor(mode / GO_MODE.sticky) % 2 === 1) p |= 0o1000;
  return p;
}

/** A Go mode from a stat's POSIX st_mode, as restic computes it when it backs a file up. */
export function goModeFromPosix(st: number): number {
  let m = st & 0o777;
  if (st & 0o4000) m += GO_MODE.setuid;
  if (st & 0o2000) m += GO_MODE.setgid;
  if (st & 0o1000) m += GO_MODE.sticky;
  switch (st & 0o170000) {
    case 0o040000: m += GO_MODE.dir; break;
    case 0o120000: m += GO_MODE.symlink; break;
    case 0o060000: m += GO_MODE.device; break;
    case 0o020000: m += GO_MODE.device + GO_MODE.charDevice; break;
    case 0o010000: m += GO_MODE.namedPipe; break;
    case 0o140000: m += GO_MODE.socket; break;
  }
  return m;
}
