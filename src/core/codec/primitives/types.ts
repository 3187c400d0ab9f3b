/**
 * The cryptographic and compression building blocks the codec needs, behind one interface so
 * that the same format code runs on node:crypto/node:zlib (fast, Node only) and on pure
 * JavaScript libraries (a future web extension host). Every format test runs against both.
 */
export type BackendName = 'node' | 'portable';

export interface Sealed {
  ciphertext: Uint8Array;
  /** The 16-byte Poly1305 tag, kept apart so callers can write both without concatenating. */
  tag: Uint8Array;
}

/**
 * An X25519 secret prepared once, for agreement with many points: a hostile header can hold
 * thousands of stanzas, and each identity's public key and key object must not be redone for each.
 */
export interface X25519Secret {
  /** The public key (scalar times the base point). */
  readonly publicKey: Uint8Array;
  /** The shared secret with `point`; all zeros for a low-order point. */
  agree(point: Uint8Array): Uint8Array;
}

export interface Primitives {
  readonly name: BackendName;
  /** ChaCha20-Poly1305 (RFC 8439) with a 32-byte key and a 12-byte nonce, no associated data. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Sealed;
  /** The plaintext, or undefined when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | undefined;
  /** X25519 (RFC 7748): scalar times the point with u-coordinate `point`. */
  scalarMult(scalar: Uint8Array, point: Uint8Array): Uint8Array;
  /** X25519 scalar times the base point: the public key of `scalar`. */
  scalarMultBase(scalar: Uint8Array): Uint8Array;
  /** Prepares `scalar` for many agreements (see X25519Secret). */
  x25519(scalar: Uint8Array): X25519Secret;
  hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Uint8Array;
  hmac(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** scrypt with r = 8 and p = 1, as age uses it. */
  scrypt(password: Uint8Array, salt: Uint8Array, logN: number, length: number): Promise<Uint8Array>;
  /** gzip (RFC 1952) compression of a byte stream. */
  gzip(input: AsyncIterable<Uint8Array>, level: number): AsyncIterable<Uint8Array>;
  /** gzip decompression; concatenated members decode as one stream. */
  gunzip(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}
