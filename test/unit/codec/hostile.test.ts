// Hostile age headers cost bounded work: at most what age -d spends on the same file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { decrypt, encrypt } from '../../../src/core/codec/age';
import { MAX_STANZAS } from '../../../src/core/codec/age/format';
import { generateIdentity } from '../../../src/core/codec/pipeline';
import { primitives, type Primitives } from '../../../src/core/codec/primitives';
import { collect, fromBytes } from '../../../src/core/codec/reader';
import { recordFault } from '../../support/faultLedger';
import { ageCpuSeconds, cpuSeconds, manyX25519Stanzas } from './hostileHeaders';

const dir = mkdtempSync(join(tmpdir(), 'si-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const ids = Array.from({ length: 10 }, () => generateIdentity());
const idFile = join(dir, 'one.txt');
writeFileSync(idFile, `${ids[0]?.identity}\n`);

async function refusal(file: Uint8Array, identities: string[]): Promise<unknown> {
  try {
    await collect((await decrypt(fromBytes(file), { identities })).payload);
  } catch (e) {
    return e;
  }
  assert.fail('the hostile file was decrypted');
}

describe('hostile age headers', () => {
  it('about 10,000 X25519 stanzas cost at most what age -d spends, with one identity and with ten', async () => {
    const file = manyX25519Stanzas(10_000);
    const path = join(dir, 'hostile.age');
    writeFileSync(path, file);
    const age = ageCpuSeconds(idFile, path);
    let error: unknown;
    const one = await cpuSeconds(async () => (error = await refusal(file, [ids[0]?.identity as string])));
    assert.ok(one <= age, `one identity: ${one.toFixed(3)} s of CPU, age -d ${age.toFixed(3)} s`);
    const ten = await cpuSeconds(() => refusal(file, ids.map((i) => i.identity)));
    console.log(`10,000 stanzas: age -d ${age.toFixed(3)} s CPU; ours ${one.toFixed(3)} s (1 identity), ${ten.toFixed(3)} s (10 identities)`);
    recordFault({ suite: 'codec.age', fault: 'header-with-10000-x25519-stanzas', operations: 2, bytesLost: 0 });
    assert.ok(ten <= age, `ten identities: ${ten.toFixed(3)} s of CPU, age -d with one: ${age.toFixed(3)} s`);
    assert.equal((error as { code?: string }).code, 'TooLarge');
    assert.match(String((error as Error).message), /more than 1024 recipient stanzas.*age -d/);
  });

  it(`a header of ${MAX_STANZAS} stanzas still decrypts (the cap is at stanza ${MAX_STANZAS + 1}); more recipients are refused on encrypt`, async () => {
    const me = ids[1] as { identity: string; recipient: string };
    const recipients = [...Array.from({ length: MAX_STANZAS - 1 }, () => generateIdentity().recipient), me.recipient];
    const sealed = await collect(encrypt(fromBytes(Buffer.from('team secret')), { recipients }));
    const opened = await decrypt(fromBytes(sealed), { identities: [me.identity] });
    assert.equal(Buffer.from(await collect(opened.payload)).toString(), 'team secret');
    await assert.rejects(collect(encrypt(fromBytes(Buffer.from('x')), { recipients: [...recipients, me.recipient] })), /At most 1024 recipients/);
  });

  it("derives each identity's public key once, however many stanzas there are", async () => {
    const base = primitives();
    let prepared = 0;
    let bases = 0;
    const counting: Primitives = {
      ...base,
      x25519: (scalar) => {
        prepared++;
        return base.x25519(scalar);
      },
      scalarMultBase: (scalar) => {
        bases++;
        return base.scalarMultBase(scalar);
      },
    };
    const file = manyX25519Stanzas(500);
    const identities = ids.slice(0, 3).map((i) => i.identity);
    await assert.rejects(decrypt(fromBytes(file), { identities, backend: counting }), /None of the 3 identities/);
    assert.equal(prepared, 3);
    assert.equal(bases, 0);
  });
});
