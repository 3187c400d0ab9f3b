/** Shared by the benches: medians and one aligned line per figure with its pair. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function line(name: string, ours: string, peer: string, verdict: string): void {
  console.log(`${name}: ${ours} | ${peer}${verdict ? ` | ${verdict}` : ''}`);
}
