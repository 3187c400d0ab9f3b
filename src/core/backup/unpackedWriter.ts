import type { FileType } from './backend';
import { seal } from './crypto';
import { sha256Hex } from './encoding';
import { goJson } from './goJson';
import type { Repository } from './repository';

/**
 * Seals a JSON document as an unpacked file and stores it under its hash. Plain JSON is valid in
 * both repository versions (version 2 reads a leading '{' as uncompressed).
 */
export async function saveJson(repo: Repository, type: FileType, doc: unknown): Promise<string> {
  const sealed = seal(repo.key, Buffer.from(goJson(doc), 'utf8'));
  const name = sha256Hex(sealed);
  await repo.backend.write(type, name, sealed);
  return name;
}
