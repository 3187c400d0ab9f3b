import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import { report } from './report';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const AGE = '/usr/bin/age';
const JSON_TEXT = '{\n  "name": "demo",\n  "items": [1, 2, 3]\n}\n';

interface Row {
  node: { kind: string; path?: string; parentPath?: string };
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
}

const cmd = <T>(id: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(`storageInspector.${id}`, ...args);
async function children(p?: string): Promise<Row[]> {
  const rows = await cmd<Row[]>('internal.localChildren', p);
  // A failing command shows an error message and returns undefined; say which one failed.
  assert.ok(Array.isArray(rows), `the Local view could not list ${p ?? 'its roots'} (see the log)`);
  return rows;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const settings = () => vscode.workspace.getConfiguration('storageInspector');

/** Every file under dir with its sha256, to prove a failure changed nothing on disk. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile()) out[path.relative(dir, p)] = sha256(p);
  }
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 5000, every = 100): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

describe('local view', function () {
  let base: string;
  let root: string;
  let identityFile: string;
  let recipient: string;
  let pipeline = false;

  before(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const codec = require(path.join(ext.extensionPath, 'dist/codec.js')) as { decode?: unknown };
    pipeline = typeof codec.decode === 'function';
    if (!pipeline) report('    (the codec pipeline is not in this build: the decode/encode cases are skipped)');
    base = mkdtempSync(path.join(process.env.SI_FIXTURES ?? os.tmpdir(), 'si-local-'));
    root = path.join(base, 'root');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    identityFile = path.join(base, 'identity.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', identityFile], { stdio: 'ignore' });
    recipient = execFileSync('/usr/bin/age-keygen', ['-y', identityFile], { encoding: 'utf8' }).trim();
    if (pipeline) await cmd('keys.importIdentity', identityFile);
    writeFileSync(path.join(root, 'plain.txt'), 'hello\n');
    writeFileSync(path.join(root, 'data.json'), JSON_TEXT);
    execFileSync('/bin/sh', ['-c', `/usr/bin/gzip -c data.json | ${AGE} -r ${recipient} > config.json.gz.age`], { cwd: root });
    // gzip by magic only: no .gz in the name.
    writeFileSync(path.join(root, 'blob'), gzipSync('inside'));
    await settings().update('local.roots', [], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await settings().update('local.roots', [], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('adds a root by path (no prompt) and lists it, folders first, with size and time', async () => {
    const id = await cmd<string>('local.addRoot', root);
    assert.match(id ?? '', /^[0-9a-f]{12}$/);
    assert.deepEqual(settings().get('local.roots'), [root]);
    const roots = await children();
    assert.deepEqual(roots.map((r) => r.label), ['root']);
    const rows = await children(root);
    assert.deepEqual(rows.map((r) => r.label), ['sub', 'blob', 'config.json.gz.age', 'data.json', 'plain.txt']);
    const data = rows.find((r) => r.label === 'data.json');
    assert.match(data?.description ?? '', /^\d+ B · \d\d:\d\d$/);
    assert.match(data?.tooltip ?? '', /\| Size \| \d+ B \(\d+ bytes\) \|/);
    assert.equal(rows.find((r) => r.label === 'config.json.gz.age')?.contextValue, 'localFile.age.gzip');
  });

  it('badges age and gzip files by their first bytes', async () => {
    assert.equal((await cmd<{ badge: string }>('internal.localDecoration', path.join(root, 'config.json.gz.age')))?.badge, 'A');
    assert.equal((await cmd<{ badge: string }>('internal.localDecoration', path.join(root, 'blob')))?.badge, 'gz');
    assert.equal(await cmd('internal.localDecoration', path.join(root, 'data.json')), undefined);
  });

  it('refreshes a listed folder when a file appears, without a manual refresh', async () => {
    await children(path.join(root, 'sub'));
    // The watcher on a just-added root starts asynchronously, so files keep coming until one shows.
    let n = 0;
    await until(
      'the watcher to show a new file',
      async () => {
        writeFileSync(path.join(root, 'sub', `late${n++}.txt`), 'late');
        return (await children(path.join(root, 'sub'))).some((r) => r.label.startsWith('late')) ? true : undefined;
      },
      15_000,
      500,
    );
    for (let i = 0; i < n; i++) rmSync(path.join(root, 'sub', `late${i}.txt`));
  });

  it('pages a large folder with "Load more..."', async () => {
    const big = path.join(root, 'many');
    mkdirSync(big);
    for (let i = 0; i < 25; i++) writeFileSync(path.join(big, `f${String(i).padStart(2, '0')}`), '');
    await settings().update('local.pageSize', 10, vscode.ConfigurationTarget.Global);
    try {
      await until('the watcher to show the new folder', async () => ((await children(root)).some((r) => r.label === 'many') ? true : undefined));
      const first = await children(big);
      assert.equal(first.length, 11);
      const more = first.at(-1);
      assert.equal(more?.label, 'Load more...');
      await cmd('local.loadMore', more?.node);
      const second = await children(big);
      assert.equal(second.filter((r) => r.node.kind === 'file').length, 20);
      await cmd('local.loadMore', second.at(-1)?.node);
      const all = await children(big);
      assert.equal(all.length, 25);
      assert.equal(new Set(all.map((r) => r.label)).size, 25);
    } finally {
      await settings().update('local.pageSize', undefined, vscode.ConfigurationTarget.Global);
      rmSync(big, { recursive: true });
    }
  });

  it('opens a plain file as itself', async () => {
    const uri = await cmd<vscode.Uri>('local.open', path.join(root, 'data.json'));
    assert.equal(uri?.scheme, 'file');
  });

  it('opens a .json.gz.age made by gzip and age as JSON plaintext; an edit saved decrypts with the age CLI', async function () {
    if (!pipeline) this.skip();
    const file = path.join(root, 'config.json.gz.age');
    const uri = await cmd<vscode.Uri>('local.open', file);
    assert.equal(uri?.scheme, 'storage-local');
    const doc = await until('the decoded document', async () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString() && d.languageId === 'json'));
    assert.equal(doc.getText(), JSON_TEXT);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 2), '"edited": true,\n  ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    const plain = gunzipSync(execFileSync(AGE, ['-d', '-i', identityFile, file])).toString();
    assert.match(plain, /"edited": true/);
    assert.equal(JSON.parse(plain).name, 'demo');
    assert.deepEqual(readdirSync(root).filter((n) => n.includes('.si-')), [], 'no temp file left');
    // Another program rewrites the file: the open decoded tab follows.
    execFileSync('/bin/sh', ['-c', `printf '{"from": "outside"}\\n' | /usr/bin/gzip | ${AGE} -r ${recipient} > config.json.gz.age.new && mv config.json.gz.age.new config.json.gz.age`], { cwd: root });
    await until('the tab to show the outside edit', async () => (doc.getText().includes('outside') ? true : undefined), 15_000);
  });

  it('asks the passphrase of a scrypt-encrypted file once, and re-encrypts the save with the same one', async function () {
    if (!pipeline) this.skip();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const codec = require(path.join(ext?.extensionPath ?? '', 'dist/codec.js')) as {
      encode(p: Uint8Array, l: { kind: string }[], o: object): Promise<Uint8Array>;
      decode(b: Uint8Array, o: object): Promise<{ plaintext: Uint8Array }>;
    };
    const file = path.join(root, 'sub', 'note.txt.age');
    writeFileSync(file, await codec.encode(Buffer.from('by passphrase\n'), [{ kind: 'age' }], { passphrase: 'correct horse', scryptLogN: 10 }));
    const keys = (ext?.exports as { keys: { askPassphrase: (k: string) => Promise<string | undefined> } }).keys;
    const asked: string[] = [];
    const original = keys.askPassphrase;
    keys.askPassphrase = async (docKey) => {
      asked.push(docKey);
      return 'correct horse';
    };
    try {
      const uri = await cmd<vscode.Uri>('local.open', file);
      const doc = await until('the decrypted note', async () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString()));
      assert.equal(doc.getText(), 'by passphrase\n');
      const edit = new vscode.WorkspaceEdit();
      edit.insert(doc.uri, new vscode.Position(1, 0), 'and edited\n');
      await vscode.workspace.applyEdit(edit);
      assert.ok(await doc.save());
      assert.equal(asked.length, 1, 'asked once');
      const back = await codec.decode(readFileSync(file), { identities: [], passphrase: async () => 'correct horse' });
      assert.equal(Buffer.from(back.plaintext).toString(), 'by passphrase\nand edited\n');
    } finally {
      keys.askPassphrase = original;
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(file);
    }
  });

  it('writes a manifest; after one change, one deletion and one addition, verify reports exactly those, and sha256sum -c agrees', async () => {
    const dir = path.join(root, 'sub');
    for (const n of ['a.txt', 'b.txt', 'c.txt']) writeFileSync(path.join(dir, n), `${n}\n`);
    // Enough files that sha256 runs on worker threads inside the extension host.
    mkdirSync(path.join(dir, 'bulk'));
    for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, 'bulk', `${i}.bin`), Buffer.alloc(i * 1000, i));
    const written = await cmd<{ path: string; files: number }>('local.writeManifest', dir, 'sha256');
    assert.equal(written?.path, path.join(dir, 'SHA256SUMS'));
    assert.equal(spawnSync('/usr/bin/sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir }).status, 0);
    writeFileSync(path.join(dir, 'a.txt'), 'altered\n');
    unlinkSync(path.join(dir, 'b.txt'));
    writeFileSync(path.join(dir, 'd.txt'), 'added\n');
    const results = await cmd<{ name: string; status: string }[]>('local.verifyManifest', dir);
    const notOk = (results ?? []).filter((r) => r.status !== 'ok').map((r) => `${r.status}:${r.name}`).sort();
    assert.deepEqual(notOk, ['changed:a.txt', 'missing:b.txt', 'new:d.txt']);
    const problems = vscode.languages.getDiagnostics(vscode.Uri.file(path.join(dir, 'SHA256SUMS')));
    assert.equal(problems.length, 3);
    const cli = spawnSync('/usr/bin/sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    assert.notEqual(cli.status, 0);
    assert.match(cli.stdout, /a\.txt: FAILED/);
    assert.match(cli.stdout + cli.stderr, /b\.txt: FAILED open or read/);
    assert.match(cli.stdout, /c\.txt: OK/);
    assert.match(cli.stdout, /bulk\/39\.bin: OK/);
    rmSync(path.join(dir, 'bulk'), { recursive: true });
  });

  it('computes a checksum with the algorithm given, and copies it', async () => {
    const file = path.join(root, 'plain.txt');
    const hex = await cmd<string>('local.computeChecksum', file, 'sha256');
    assert.equal(hex, execFileSync('/usr/bin/sha256sum', [file], { encoding: 'utf8' }).slice(0, 64));
    assert.equal(await vscode.env.clipboard.readText(), hex);
    assert.equal(await cmd<string>('local.computeChecksum', file, 'blake3'), execFileSync('/usr/bin/b3sum', [file], { encoding: 'utf8' }).slice(0, 64));
  });

  it('compresses beside the original and deletes the original only after verifying', async function () {
    if (!pipeline) this.skip();
    const file = path.join(root, 'sub', 'c.txt');
    const before = readFileSync(file);
    const result = await cmd<{ path: string; deleted: boolean }>('local.compress', file, { deleteOriginal: true });
    assert.deepEqual(result, { path: `${file}.gz`, deleted: true });
    assert.ok(!existsSync(file));
    assert.ok(execFileSync('/usr/bin/gzip', ['-dc', `${file}.gz`]).equals(before));
  });

  it('encrypts to a recipient (x.json -> x.json.gz.age) that the age CLI decrypts, keeping the original', async function () {
    if (!pipeline) this.skip();
    const file = path.join(root, 'data.json');
    const result = await cmd<{ path: string; deleted: boolean }>('local.encrypt', file, { recipients: [recipient], compress: true, deleteOriginal: false });
    assert.deepEqual(result, { path: `${file}.gz.age`, deleted: false });
    assert.equal(gunzipSync(execFileSync(AGE, ['-d', '-i', identityFile, `${file}.gz.age`])).toString(), JSON_TEXT);
    assert.ok(existsSync(file));
  });

  describe('bad input gives a clear error and changes nothing on disk', () => {
    let id: string;
    let before: Record<string, string>;
    const read = (rel: string) => vscode.workspace.fs.readFile(vscode.Uri.from({ scheme: 'storage-local', authority: id, path: `/${rel}` }));

    beforeEach(async () => {
      id = (await cmd<string>('local.addRoot', root)) ?? '';
      before = snapshot(root);
    });
    afterEach(() => assert.deepEqual(snapshot(root), before, 'nothing changed on disk'));

    it('a symlink loop is an error row, and reading it names the loop', async () => {
      symlinkSync('loop', path.join(root, 'loop'));
      try {
        await children();
        const rows = await until('the loop row', async () => {
          const r = await children(root);
          return r.some((x) => x.node.kind === 'error') ? r : undefined;
        });
        assert.match(rows.find((r) => r.node.kind === 'error')?.label ?? '', /loop: .*symbolic link loop/);
        await assert.rejects(Promise.resolve(read('loop')), /symbolic link loop/);
      } finally {
        unlinkSync(path.join(root, 'loop'));
      }
    });

    it('a file that may not be replaced (immutable: tests run as root, so chmod 000 would not stop them) fails the save with NoPermission', async function () {
      if (!pipeline) this.skip();
      const file = path.join(root, 'config.json.gz.age');
      before = snapshot(root);
      execFileSync('chattr', ['+i', file]);
      try {
        const uri = vscode.Uri.from({ scheme: 'storage-local', authority: id, path: '/config.json.gz.age' });
        await vscode.workspace.fs.readFile(uri);
        await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{}'))), /permission denied/i);
        assert.deepEqual(readdirSync(root).filter((n) => n.includes('.si-')), []);
      } finally {
        execFileSync('chattr', ['-i', file]);
      }
    });

    it('a wrong key says no identity matched', async function () {
      if (!pipeline) this.skip();
      const other = path.join(base, 'other.txt');
      execFileSync('/usr/bin/age-keygen', ['-o', other], { stdio: 'ignore' });
      const otherRecipient = execFileSync('/usr/bin/age-keygen', ['-y', other], { encoding: 'utf8' }).trim();
      execFileSync('/bin/sh', ['-c', `${AGE} -r ${otherRecipient} -o secret.age plain.txt`], { cwd: root });
      before = snapshot(root);
      try {
        await assert.rejects(Promise.resolve(read('secret.age')), /identit|key/i);
      } finally {
        unlinkSync(path.join(root, 'secret.age'));
        delete before['secret.age'];
      }
    });

    it('a corrupt .age is refused', async function () {
      if (!pipeline) this.skip();
      const bad = path.join(root, 'corrupt.json.age');
      const good = execFileSync(AGE, ['-r', recipient], { input: JSON_TEXT });
      good.writeUInt8((good.at(-5) ?? 0) ^ 0xff, good.length - 5);
      writeFileSync(bad, good);
      before = snapshot(root);
      try {
        await assert.rejects(Promise.resolve(read('corrupt.json.age')));
      } finally {
        unlinkSync(bad);
        delete before['corrupt.json.age'];
      }
    });

    it('over the size limit is refused with the size and the limit', async () => {
      await settings().update('local.maxOpenBytes', 3, vscode.ConfigurationTarget.Global);
      try {
        await assert.rejects(Promise.resolve(read('plain.txt')), /6 B \(6 bytes\), over the limit of 3 B \(3 bytes\)/);
      } finally {
        await settings().update('local.maxOpenBytes', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('a path with unusual characters reads through storage-local://', async () => {
      const name = 'ü €\\ #?%.txt';
      writeFileSync(path.join(root, name), 'odd');
      before = snapshot(root);
      try {
        assert.equal(Buffer.from(await read(name)).toString(), 'odd');
        await assert.rejects(Promise.resolve(read('../outside')), /outside the root/);
      } finally {
        unlinkSync(path.join(root, name));
        delete before[name];
      }
    });

    it('a root that vanished shows one error row; the rest of the tree still lists', async () => {
      const gone = path.join(base, 'gone');
      mkdirSync(gone);
      await cmd('local.addRoot', gone);
      await children();
      rmSync(gone, { recursive: true });
      const rows = await children(gone);
      assert.equal(rows.length, 1);
      assert.match(rows[0]?.label ?? '', /does not exist.*re-add the root/);
      assert.ok((await children(root)).length > 0);
      await cmd('local.removeRoot', gone);
      assert.deepEqual(settings().get('local.roots'), [root]);
    });
  });

  it('removes a root', async () => {
    await cmd('local.removeRoot', root);
    assert.deepEqual(settings().get('local.roots'), []);
    assert.ok(statSync(root).isDirectory(), 'the folder itself stays');
    chmodSync(root, 0o755);
  });
});
