// Loads the community age test vectors (C2SP CCTV, npm package cctv-age) into plain records.
import { inflateSync } from 'node:zlib';

type Vectors = typeof import('cctv-age', { with: { 'resolution-mode': 'import' } });

export type Expect = 'success' | 'header failure' | 'payload failure' | 'armor failure' | 'no match' | 'HMAC failure';

export interface Vector {
  name: string;
  expect: Expect;
  identities: string[];
  passphrases: string[];
  /** Hex SHA-256 of the plaintext, for success vectors. */
  payload?: string;
  armored: boolean;
  file: Uint8Array;
}

function parse(name: string, raw: Uint8Array): Vector {
  const split = Buffer.from(raw).indexOf('\n\n');
  const head = Buffer.from(raw.subarray(0, split)).toString('utf8');
  const fields = new Map<string, string[]>();
  for (const line of head.split('\n')) {
    const i = line.indexOf(': ');
    const key = line.slice(0, i);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(i + 2)]);
  }
  const one = (k: string): string | undefined => fields.get(k)?.[0];
  let file = raw.subarray(split + 2);
  if (one('compressed') === 'zlib') file = inflateSync(file);
  return {
    name,
    expect: one('expect') as Expect,
    identities: fields.get('identity') ?? [],
    passphrases: fields.get('passphrase') ?? [],
    payload: one('payload'),
    armored: one('armored') === 'yes',
    file,
  };
}

/** Every vector, and whether it applies here (post-quantum identities are not implemented). */
export async function loadVectors(): Promise<{ applicable: Vector[]; skipped: Vector[] }> {
  const mod = (await import('cctv-age')) as unknown as Vectors & { default?: unknown };
  const all = Object.entries(mod)
    .filter(([k, v]) => k !== 'default' && v instanceof Uint8Array)
    .map(([k, v]) => parse(k, v as Uint8Array));
  const pq = (v: Vector): boolean => v.identities.some((i) => !i.startsWith('AGE-SECRET-KEY-1'));
  return { applicable: all.filter((v) => !pq(v)), skipped: all.filter(pq) };
}
