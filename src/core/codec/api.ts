/**
 * The contract of the codec pipeline, shared by the Local, S3 and SQL features.
 * Layers are listed outermost first: `config.json.gz.age` decodes as
 * [{kind:'age'}, {kind:'gzip'}] (decrypt, then gunzip), and encodes in reverse.
 */
export type LayerKind = 'gzip' | 'age';

export interface Layer {
  kind: LayerKind;
  /** age only: ASCII armor (PEM-like text) instead of the binary format. */
  armor?: boolean;
}

export interface DecodeOptions {
  /** age X25519 identities (`AGE-SECRET-KEY-1...`). Never logged. */
  identities: readonly string[];
  /** Asked only when the file has an scrypt stanza; undefined means the user gave up. */
  passphrase?: () => Promise<string | undefined>;
  /** Refuse scrypt work factors above this (default 20). */
  maxScryptLogN?: number;
  /** Refuse output beyond this many bytes (gzip bombs, huge objects). */
  maxOutputBytes?: number;
}

/** What decoding learned, so a save can re-apply the same layers to the same keys. */
export interface DecodeInfo {
  layers: Layer[];
  /** The X25519 identity that unwrapped the file key, when one did. */
  identity?: string;
  /** The passphrase that unwrapped it, when it was scrypt-encrypted. Kept in memory only. */
  passphrase?: string;
}

export interface DecodeResult extends DecodeInfo {
  plaintext: Uint8Array;
}

export interface EncodeOptions {
  /** age X25519 recipients (`age1...`). */
  recipients?: readonly string[];
  /** For scrypt (passphrase) encryption; exclusive with recipients, as in age. */
  passphrase?: string;
  /** scrypt work factor on write; default 18. */
  scryptLogN?: number;
  /** gzip level 1-9; default 6. */
  gzipLevel?: number;
}
