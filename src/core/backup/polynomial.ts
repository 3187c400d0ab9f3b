import { randomBytes } from 'node:crypto';

// Polynomials over GF(2) as bigints (bit i is the coefficient of x^i), for the chunker's
// per-repository polynomial: restic picks a random irreducible one of degree 53.

function deg(x: bigint): number {
  return x === 0n ? -1 : x.toString(2).length - 1;
}

function mod(x: bigint, p: bigint): bigint {
  const dp = deg(p);
  for (let dx = deg(x); dx >= dp; dx = deg(x)) x ^= p << BigInt(dx - dp);
  return x;
}

function mulMod(a: bigint, b: bigint, p: bigint): bigint {
  let r = 0n;
  for (let i = 0; b >> BigInt(i) !== 0n; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  return mod(r, p);
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, mod(a, b)];
  return a;
}

/** Ben-Or's test: p is irreducible when gcd(p, x^(2^i) - x mod p) = 1 for every i up to deg/2. */
export function irreducible(p: bigint): boolean {
  let x2i = 2n; // x
  for (let i = 1; i <= deg(p) / 2; i++) {
    x2i = mulMod(x2i, x2i, p);
    if (gcd(p, mod(x2i ^ 2n, p)) !== 1n) return false;
  }
  return true;
}

/** A random irreducible polynomial of degree 53 as restic's config stores it (lower-case hex). */
export function randomPolynomial(): string {
  for (;;) {
    let f = randomBytes(8).readBigUInt64LE() & ((1n << 54n) - 1n);
    f |= (1n << 53n) | 1n;
    if (irreducible(f)) return f.toString(16);
  }
}
