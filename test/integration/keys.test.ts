import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as Codec from '../../src/lazy/codec';
import type { Ctx } from '../../src/vscode/ctx';
import { IMPORT_IDENTITY_ENV, importFromEnv } from '../../src/vscode/keys/importFromEnv';
import { report } from './report';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const cmd = <T>(id: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);

describe('keys', () => {
  let ctx: Ctx;
  let codec: typeof Codec;
  const fixtures = process.env.SI_FIXTURES ?? mkdtempSync(path.join(tmpdir(), 'si-keys-'));

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    ctx = (await ext.activate()) as Ctx;
    codec = require(path.join(ext.extensionPath, 'dist', 'codec.js')) as typeof Codec;
  });

  it('generates an identity, stores it as a secret and copies its recipient', async () => {
    const before = await ctx.keys.identities();
    const recipient = await cmd<string>('keys.generateIdentity');
    assert.match(recipient, /^age1[0-9a-z]{58}$/);
    assert.equal(await vscode.env.clipboard.readText(), recipient);
    const after = await ctx.keys.identities();
    assert.equal(after.length, before.length + 1);
    assert.ok(after.map((i) => codec.identityToRecipient(i)).includes(recipient));
    assert.ok(await cmd<boolean>('keys.removeIdentity', recipient));
    assert.deepEqual(await ctx.keys.identities(), before);
  });

  it('imports age-keygen output given as a path, and decrypts what age encrypted to it', async () => {
    const file = path.join(fixtures, 'keys-import.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', file], { stdio: 'ignore' });
    const expected = execFileSync('/usr/bin/age-keygen', ['-y', file]).toString().trim();
    const recipients = await cmd<string[]>('keys.importIdentity', file);
    assert.deepEqual(recipients, [expected]);
    assert.deepEqual(await cmd<string[]>('keys.importIdentity', file), [expected], 'a second import is harmless');
    const sealed = execFileSync('/usr/bin/age', ['-r', expected], { input: 'from age\n' });
    const opened = await codec.decode(sealed, await ctx.keys.decodeOptions('doc:age'));
    assert.equal(Buffer.from(opened.plaintext).toString(), 'from age\n');
    assert.equal(codec.identityToRecipient(opened.identity ?? ''), expected);
    const stored = await ctx.keys.identities();
    assert.ok(stored.includes(readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1')) ?? '-'));
    assert.ok(await cmd<boolean>('keys.removeIdentity', expected));
  });

  it('writes recipient rules to the settings and re-encrypts to them plus the decrypting identity', async () => {
    const mine = codec.generateIdentity();
    const team = codec.generateIdentity();
    await ctx.keys.addIdentities([mine.identity]);
    assert.ok(await cmd<boolean>('keys.setRecipients', 's3://bucket/secrets/**', [team.recipient]));
    const rules = vscode.workspace.getConfiguration('storageInspector').get<{ glob: string; recipients: string[] }[]>('encryption.recipientRules');
    assert.deepEqual(rules, [{ glob: 's3://bucket/secrets/**', recipients: [team.recipient] }]);
    assert.deepEqual(ctx.keys.recipientsFor('s3://bucket/secrets/app/config.json.gz.age'), [team.recipient]);
    assert.deepEqual(ctx.keys.recipientsFor('s3://bucket/public/readme.md'), []);

    const location = 's3://bucket/secrets/app/config.json.gz.age';
    const sealed = await codec.encode(Buffer.from('{"a":1}'), [{ kind: 'age' }, { kind: 'gzip' }], { recipients: [mine.recipient] });
    const opened = await codec.decode(sealed, await ctx.keys.decodeOptions(location));
    const again = await ctx.keys.encodeOptions(location, opened);
    assert.deepEqual(new Set(again.recipients), new Set([mine.recipient, team.recipient]));
    const resealed = await codec.encode(opened.plaintext, opened.layers, again);
    const byTeam = await codec.decode(resealed, { identities: [team.identity] });
    assert.equal(Buffer.from(byTeam.plaintext).toString(), '{"a":1}');

    assert.ok(await cmd<boolean>('keys.setRecipients', 's3://bucket/secrets/**', []));
    assert.deepEqual(ctx.keys.recipientsFor(location), []);
    await ctx.keys.removeIdentity(mine.recipient);
  });

  it('asks a passphrase once per document and re-encrypts with the same one', async () => {
    let asked = 0;
    const original = ctx.keys.askPassphrase;
    ctx.keys.askPassphrase = async () => (asked++, 'integration pass');
    try {
      const sealed = await codec.encode(Buffer.from('secret text'), [{ kind: 'age', armor: true }], { passphrase: 'integration pass', scryptLogN: 12 });
      for (let i = 0; i < 2; i++) {
        const opened = await codec.decode(sealed, await ctx.keys.decodeOptions('doc:pass'));
        assert.equal(Buffer.from(opened.plaintext).toString(), 'secret text');
        assert.deepEqual(await ctx.keys.encodeOptions('doc:pass', opened), { passphrase: 'integration pass' });
      }
      assert.equal(asked, 1);
      await codec.decode(sealed, await ctx.keys.decodeOptions('doc:other'));
      assert.equal(asked, 2);
    } finally {
      ctx.keys.askPassphrase = original;
      ctx.keys.forget('doc:pass');
      ctx.keys.forget('doc:other');
    }
  });

  it(`imports the identity file named by ${IMPORT_IDENTITY_ENV} (what activation does in the background)`, async () => {
    const file = path.join(fixtures, 'keys-env.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', file], { stdio: 'ignore' });
    const recipient = execFileSync('/usr/bin/age-keygen', ['-y', file]).toString().trim();
    const saved = process.env[IMPORT_IDENTITY_ENV];
    process.env[IMPORT_IDENTITY_ENV] = file;
    try {
      await importFromEnv(ctx);
    } finally {
      if (saved === undefined) delete process.env[IMPORT_IDENTITY_ENV];
      else process.env[IMPORT_IDENTITY_ENV] = saved;
    }
    assert.ok((await ctx.keys.recipients()).includes(recipient));
    assert.ok(await ctx.keys.removeIdentity(recipient));
  });

  it('refuses to store something that is not an identity, without echoing it', async () => {
    const file = path.join(fixtures, 'keys-bad.txt');
    writeFileSync(file, '# not a key\nAGE-SECRET-KEY-1NOTVALID\n');
    const before = await ctx.keys.identities();
    assert.equal(await cmd('keys.importIdentity', file), undefined, 'the command reports the error and stores nothing');
    assert.deepEqual(await ctx.keys.identities(), before);
    await assert.rejects(ctx.keys.addIdentities(['AGE-SECRET-KEY-1NOTVALID']), /not an age identity/);
    report('    keys: identities live in SecretStorage; rules in storageInspector.encryption.recipientRules');
  });
});
