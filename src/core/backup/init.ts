import { randomBytes } from 'node:crypto';
import { storageError } from '../errors';
import type { Backend } from './backend';
import { seal } from './crypto';
import { newKeyFile, newMasterKey } from './keys';
import type { Config } from './model';
import { randomPolynomial } from './polynomial';
import { Repository } from './repository';

export interface InitOptions {
  /** Repository version: 2 (restic 0.14's default, compression allowed) unless 1 is asked for. */
  version?: 1 | 2;
}

/**
 * Creates a repository as `restic init` does: a master key sealed in a key file under the
 * password, a config with a fresh id and a random irreducible chunker polynomial, and (for a
 * folder) the empty layout. Refuses a place that already holds a repository.
 */
export async function initRepository(backend: Backend, password: string, o: InitOptions = {}): Promise<Repository> {
  const version = o.version ?? 2;
  if (version !== 1 && version !== 2) throw storageError('BadInput', `repository version ${String(version)}: choose 1 or 2.`);
  if (password === '') throw storageError('BadInput', 'an empty password is not a password; choose one for the new repository.');
  if (await backend.exists('config', 'config')) throw storageError('Exists', `${backend.label} already holds a repository. Open it instead, or choose an empty place.`);
  if ((await backend.list('keys')).length > 0) {
    throw storageError('Exists', `${backend.label} has key files but no config: an init there was interrupted, or it is not empty. Remove its keys folder, or choose an empty place.`);
  }
  await backend.create?.();
  const key = newMasterKey();
  const kf = await newKeyFile(key, password);
  await backend.write('keys', kf.name, kf.bytes);
  const config: Config = { version, id: randomBytes(32).toString('hex'), chunker_polynomial: randomPolynomial() };
  // The config comes last: until it exists, nothing takes the place for a repository.
  await backend.write('config', 'config', seal(key, Buffer.from(JSON.stringify(config), 'utf8')));
  return Repository.withKey(backend, key, config);
}
