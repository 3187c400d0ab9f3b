// Runs inside a fresh extension host with nothing else opened: times the extension's activation.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
  if (!ext) throw new Error('extension not found');
  const wasActive = ext.isActive;
  const t0 = performance.now();
  await ext.activate();
  const hostMs = performance.now() - t0;
  const stats = (await vscode.commands.executeCommand('storageInspector.internal.activationStats')) as {
    activationMs: number;
    loadMs: number;
    loaded: string[];
  };
  writeFileSync(process.env.SI_TEST_RESULTS!, JSON.stringify({ wasActive, hostMs, ...stats, vscode: vscode.version }));
}
