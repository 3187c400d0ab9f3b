import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { report } from './report';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const VIEWS = ['storageInspector.local', 'storageInspector.s3', 'storageInspector.sql'];

interface Manifest {
  contributes: {
    commands: { command: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
  };
  activationEvents: string[];
}

describe('extension', () => {
  let manifest: Manifest;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    manifest = ext.packageJSON as Manifest;
    await ext.activate();
    assert.equal(ext.isActive, true);
    report(`    running inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
  });

  it('never activates on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('contributes the three views in the Storage container, and each can be focused', async () => {
    assert.deepEqual(manifest.contributes.views['storageInspector']?.map((v) => v.id), VIEWS);
    for (const view of VIEWS) await vscode.commands.executeCommand(`${view}.focus`);
  });

  it('registers every declared command, all in the Storage category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = manifest.contributes.commands;
    assert.ok(declared.length > 0);
    const missing = declared.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
    assert.deepEqual(declared.filter((c) => c.category !== 'Storage').map((c) => c.command), []);
  });

  it('gives every view welcome content with a button to a registered command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const view of VIEWS) {
      const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === view);
      assert.equal(welcome.length, 1, `${view} has welcome content`);
      const button = /\[[^\]]+\]\(command:([\w.]+)\)/.exec(welcome[0]!.contents);
      assert.ok(button, `${view} welcome content has a button`);
      assert.ok(registered.has(button[1]!), `${button[1]} behind the ${view} button is registered`);
    }
  });

  it('activates without loading the AWS SDK, sql.js or the crypto bundle', async () => {
    const stats = (await vscode.commands.executeCommand('storageInspector.internal.activationStats')) as {
      activationMs: number;
      loaded: string[];
    };
    assert.deepEqual(stats.loaded, []);
    assert.ok(stats.activationMs > 0);
  });
});
