import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { report } from './report';

const EXTENSION_ID = 'storage-inspector.storage-inspector';
const VIEWS = ['storageInspector.local', 'storageInspector.s3', 'storageInspector.sql', 'storageInspector.backup'];

interface Manifest {
  contributes: {
    commands: { command: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
  };
  activationEvents: string[];
}

interface Stats {
  activationMs: number;
  loaded: string[];
  ui: string[];
}

describe('extension', () => {
  let manifest: Manifest;
  let extensionPath = '';
  let atActivation: Stats;

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    manifest = ext.packageJSON as Manifest;
    await ext.activate();
    assert.equal(ext.isActive, true);
    extensionPath = ext.extensionPath;
    atActivation = (await vscode.commands.executeCommand<Stats>('storageInspector.internal.activationStats'))!;
    report(`    running inside VS Code ${vscode.version} (${vscode.env.appName}, ${vscode.env.appHost})`);
  });

  it('never activates on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('contributes the four views in the Storage container, and each can be focused', async () => {
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

  it('activates without loading the AWS SDK, sql.js, the crypto or backup bundles or any area\'s handlers', () => {
    assert.deepEqual(atActivation.loaded, []);
    assert.deepEqual(atActivation.ui, []);
    assert.ok(atActivation.activationMs > 0);
  });

  it('has a handler in each area bundle for exactly the commands registered for that area', async () => {
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('storageInspector.'));
    for (const area of ['keys', 'local', 's3', 'sql', 'backup']) {
      const bundle = require(path.join(extensionPath, 'dist', `${area}-ui.js`)) as { commands: { id: string }[] };
      const handled = new Set(bundle.commands.map((c) => `storageInspector.${c.id}`));
      // VS Code adds focus, visibility and open commands for each view (storageInspector.local is a view).
      const ours = registered.filter((c) => c.startsWith(`storageInspector.${area}.`));
      const ids = ours.filter((c) => !/\.(focus|resetViewLocation|toggleVisibility|removeView|open)$/.test(c));
      assert.deepEqual(ids.filter((c) => !handled.has(c)), [], `registered without a handler in ${area}-ui.js`);
      assert.deepEqual([...handled].filter((c) => !ours.includes(c)), [], `handled in ${area}-ui.js but never registered`);
    }
  });
});
