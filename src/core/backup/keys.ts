import { randomBytes, scrypt as nodeScrypt } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { storageError } from '../errors';
import type { Backend } from './backend';
import { open, seal, type MasterKey } from './crypto';
import { sha256Hex } from './encoding';

/** A file in `keys/`: scrypt parameters and the master key sealed with the password's key. */
export interface KeyFile {
  created?: string;
  username?: string;
  hostname?: string;
  kdf: string;
  N: number;
  r: number;
  p: number;
  salt: string;
  data: string;
}

/** Refuse work factors that would take minutes and gigabytes (restic writes N = 2^15). */
const MAX_N = 2 ** 20;
const MAX_RP = 64;

function derive(password: string, f: KeyFile): Promise<Buffer> {
  if (f.kdf !== 'scrypt') throw storageError('BadInput', `key file: kdf "${f.kdf}" is not scrypt; this repository was not written by restic.`);
  if (!Number.isInteger(f.N) || f.N < 2 || f.N > MAX_N || (f.N & (f.N - 1)) !== 0 || !(f.r >= 1 && f.r <= MAX_RP) || !(f.p >= 1 && f.p <= MAX_RP)) {
    throw storageError('TooLarge', `key file: scrypt parameters N=${f.N} r=${f.r} p=${f.p} are outside what is accepted (N a power of two up to ${MAX_N}).`);
  }
  const maxmem = 256 * f.N * f.r + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    nodeScrypt(password, Buffer.from(f.salt, 'base64'), 64, { N: f.N, r: f.r, p: f.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function splitKey(b: Uint8Array): MasterKey {
  return { encrypt: b.slice(0, 32), macK: b.slice(32, 48), macR: b.slice(48, 64) };
}

interface MasterJson {
  mac: { k: string; r: string };
  encrypt: string;
}

function parseMaster(plain: Uint8Array): MasterKey {
  const j = JSON.parse(Buffer.from(plain).toString('utf8')) as MasterJson;
  const key = { encrypt: Buffer.from(j.encrypt, 'base64'), macK: Buffer.from(j.mac.k, 'base64'), macR: Buffer.from(j.mac.r, 'base64') };
  if (key.encrypt.length !== 32 || key.macK.length !== 16 || key.macR.length !== 16) throw storageError('Integrity', 'key file: the master key inside has the wrong length.');
  return { encrypt: new Uint8Array(key.encrypt), macK: new Uint8Array(key.macK), macR: new Uint8Array(key.macR) };
}

/** Tries every key file with the password, as restic does; WrongKey when none opens. */
export async function openMasterKey(backend: Backend, password: string): Promise<{ key: MasterKey; keyId: string }> {
  const files = await backend.list('keys');
  if (files.length === 0) throw storageError('NotFound', `${backend.label}: has no key files, so it is not a restic repository (or it was not initialised). Check the path.`);
  for (const { name } of files) {
    const raw = await backend.read('keys', name);
    let f: KeyFile;
    try {
      f = JSON.parse(Buffer.from(raw).toString('utf8')) as KeyFile;
    } catch {
      continue;
    }
    const userKey = splitKey(await derive(password, f));
    try {
      return { key: parseMaster(open(userKey, Buffer.from(f.data, 'base64'), `keys/${name}`)), keyId: name };
    } catch {
      // the MAC does not match this key file: try the next one
    }
  }
  throw storageError('WrongKey', `${backend.label}: the password opens none of its ${files.length} key file(s). Check the password (or the password file); nothing was changed.`);
}

/** A new key file for `master`, sealed with a key derived from `password` (scrypt N=2^15, as restic). */
export async function newKeyFile(master: MasterKey, password: string): Promise<{ name: string; bytes: Uint8Array }> {
  const f: KeyFile = { created: new Date().toISOString(), username: userInfo().username, hostname: hostname(), kdf: 'scrypt', N: 32768, r: 8, p: 1, salt: randomBytes(64).toString('base64'), data: '' };
  const userKey = splitKey(await derive(password, f));
  const masterJson = JSON.stringify({ mac: { k: Buffer.from(master.macK).toString('base64'), r: Buffer.from(master.macR).toString('base64') }, encrypt: Buffer.from(master.encrypt).toString('base64') });
  f.data = Buffer.from(seal(userKey, Buffer.from(masterJson))).toString('base64');
  const bytes = Buffer.from(JSON.stringify(f));
  return { name: sha256Hex(bytes), bytes };
}

/** A fresh random master key; restic masks r for Poly1305, which the MAC clamps anyway. */
export function newMasterKey(): MasterKey {
  const r = randomBytes(16);
  // the Poly1305 clamp, so the stored key equals what restic would store
  r[3]! &= 15; r[7]! &= 15; r[11]! &= 15; r[15]! &= 15; r[4]! &= 252; r[8]! &= 252; r[12]! &= 252;
  return { encrypt: new Uint8Array(randomBytes(32)), macK: new Uint8Array(randomBytes(16)), macR: new Uint8Array(r) };
}
