import { storageError } from '../../errors';
import { primitives, type Primitives } from '../primitives';
import { randomBytes } from '../random';
import { ByteReader, coalesce } from '../reader';
import { armor, dearmor, isArmored } from './armor';
import { AgeError, fail } from './errors';
import { headerForMac, headerWithMac, MAX_STANZAS, readHeader, type Header, type Stanza } from './format';
import { parseIdentity, parseRecipient } from './keys';
import { checkScrypt, SCRYPT_TYPE, unwrapScrypt, wrapScrypt } from './scrypt';
import { decryptPayload, encryptPayload } from './stream';
import { parseX25519, unwrapX25519, wrapX25519, X25519_TYPE } from './x25519';

export { AgeError, type AgeFailure } from './errors';

export interface AgeEncryptOptions {
  recipients?: readonly string[];
  /** scrypt encryption; exclusive with recipients, as in age. */
  passphrase?: string;
  scryptLogN?: number;
  armor?: boolean;
  backend?: Primitives;
}

export interface AgeDecryptOptions {
  identities: readonly string[];
  /** Called only when the header has a valid scrypt stanza. Undefined means the user gave up. */
  passphrase?: () => Promise<string | undefined>;
  maxScryptLogN?: number;
  /** True: the input must be armored; false: binary; unset: decided by the BEGIN line. */
  armor?: boolean;
  backend?: Primitives;
}

export interface AgeOpened {
  /** The identity that unwrapped the file key, when one did. */
  identity?: string;
  /** The passphrase that unwrapped it, for scrypt files. */
  passphrase?: string;
  armor: boolean;
  /** Verified plaintext, chunk by chunk. */
  payload: AsyncIterable<Uint8Array>;
}

const FILE_KEY = 16;
const NONCE = 16;

/** Encrypts a stream to age v1: X25519 recipients or one passphrase. */
export async function* encrypt(input: AsyncIterable<Uint8Array>, opts: AgeEncryptOptions): AsyncIterable<Uint8Array> {
  const p = opts.backend ?? primitives();
  const recipients = (opts.recipients ?? []).map(parseRecipient);
  if (opts.passphrase !== undefined && recipients.length > 0) fail('input', 'Encrypt either to recipients or with a passphrase, not both');
  if (opts.passphrase === undefined && recipients.length === 0) fail('input', 'Encryption needs at least one recipient or a passphrase');
  // What we write, we must be able to read back.
  if (recipients.length > MAX_STANZAS) fail('input', `At most ${MAX_STANZAS} recipients are supported, and ${recipients.length} were given`);
  const fileKey = randomBytes(FILE_KEY);
  const stanzas: Stanza[] =
    opts.passphrase !== undefined
      ? [await wrapScrypt(p, opts.passphrase, fileKey, opts.scryptLogN)]
      : recipients.map((r) => wrapX25519(p, r, fileKey));
  const macInput = headerForMac(stanzas);
  const mac = p.hmac(p.hkdf(fileKey, new Uint8Array(0), 'header', 32), macInput);
  const nonce = randomBytes(NONCE);
  const body = (async function* () {
    yield headerWithMac(macInput, mac);
    yield nonce;
    yield* encryptPayload(p, p.hkdf(fileKey, nonce, 'payload', 32), new ByteReader(input));
  })();
  yield* coalesce(opts.armor ? armor(body) : body);
}

/**
 * Reads the header and unwraps the file key; the payload is decrypted as it is consumed.
 * Armor is recognised by its BEGIN line unless `opts.armor` says.
 */
export async function decrypt(input: AsyncIterable<Uint8Array>, opts: AgeDecryptOptions): Promise<AgeOpened> {
  const p = opts.backend ?? primitives();
  let r = new ByteReader(input);
  const armored = opts.armor ?? isArmored(await r.peek(64));
  if (armored) r = new ByteReader(dearmor(r));
  try {
    const header = await readHeader(r);
    const found = await unwrap(p, header, opts);
    const mac = p.hmac(p.hkdf(found.fileKey, new Uint8Array(0), 'header', 32), header.macInput);
    if (!equal(mac, header.mac)) fail('hmac', 'The age header MAC does not match');
    const nonce = await r.read(NONCE);
    if (nonce.length < NONCE) fail('header', 'The age payload nonce is missing or short');
    const payload = decryptPayload(p, p.hkdf(found.fileKey, nonce, 'payload', 32), r);
    return { identity: found.identity, passphrase: found.passphrase, armor: armored, payload: armored ? armorFirst(payload, r) : payload };
  } catch (e) {
    throw armored ? await armorErrorOr(e, r) : e;
  }
}

/**
 * Armor is decoded lazily, so damage in the armor can surface as a header or payload error
 * first. Reading the rest of the armor (bounded: nothing is kept) finds the real cause.
 */
async function armorErrorOr(e: unknown, r: ByteReader): Promise<unknown> {
  if (!(e instanceof AgeError) || e.failure === 'armor' || e.failure === 'nomatch') return e;
  try {
    while ((await r.read(1 << 16)).length > 0);
  } catch (armorError) {
    if (armorError instanceof AgeError && armorError.failure === 'armor') return armorError;
  }
  return e;
}

async function* armorFirst(payload: AsyncIterable<Uint8Array>, r: ByteReader): AsyncIterable<Uint8Array> {
  try {
    yield* payload;
  } catch (e) {
    throw await armorErrorOr(e, r);
  }
}

interface Unwrapped {
  fileKey: Uint8Array;
  identity?: string;
  passphrase?: string;
}

async function unwrap(p: Primitives, header: Header, opts: AgeDecryptOptions): Promise<Unwrapped> {
  const scrypt = header.stanzas.filter((s) => s.type === SCRYPT_TYPE);
  if (scrypt.length > 0 && header.stanzas.length !== 1) fail('header', 'An scrypt stanza must be the only stanza in the header');
  const only = scrypt[0];
  if (only !== undefined) {
    const params = checkScrypt(only, opts.maxScryptLogN);
    if (opts.passphrase === undefined) fail('nomatch', 'This file is encrypted with a passphrase, and none was given');
    const passphrase = await opts.passphrase();
    if (passphrase === undefined) throw storageError('Cancelled', 'No passphrase was entered, so the file stays encrypted.');
    const fileKey = await unwrapScrypt(p, passphrase, params, only);
    if (fileKey === undefined) fail('nomatch', 'The passphrase is wrong');
    return { fileKey, passphrase };
  }
  // Each stanza is checked once and each identity prepared once (its public key derived once):
  // a long header then costs one agreement per (stanza, identity) pair, as in age.
  const stanzas = header.stanzas.filter((s) => s.type === X25519_TYPE).map(parseX25519);
  const ids = opts.identities.map((identity) => ({ identity, secret: p.x25519(parseIdentity(identity)) }));
  // Every identity is tried before "no match".
  for (const stanza of stanzas) {
    for (const { identity, secret } of ids) {
      const fileKey = unwrapX25519(p, secret, stanza);
      if (fileKey !== undefined) return { fileKey, identity };
    }
  }
  fail('nomatch', ids.length === 0 ? 'This file is encrypted to X25519 recipients, and no identity is configured' : `None of the ${ids.length} identities matches a recipient of this file`);
}

/** Constant-time comparison, so a MAC check leaks nothing about how many bytes matched. */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let acc = 0;
  for (let i = 0; i < a.length; i++) acc |= (a[i] as number) ^ (b[i] as number);
  return acc === 0;
}
