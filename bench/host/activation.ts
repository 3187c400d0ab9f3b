// Runs inside a fresh extension host with nothing else opened. Loads an empty extension and a
// copy of our main bundle the same way (require + activate) in this one host, then activates the
// real extension and reads its own figures. The order of the first two alternates per round.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** What `yo code` generates, minus comments: it requires vscode and registers nothing. */
const EMPTY = `"use strict";const vscode=require("vscode");exports.activate=function(context){};exports.deactivate=function(){};\n`;

interface Loaded {
  requireMs: number;
  activateMs: number;
}

function load(file: string, activate: boolean): Loaded {
  const t0 = performance.now();
  const mod = require(file) as { activate(ctx: unknown): unknown };
  const t1 = performance.now();
  if (activate) mod.activate({ subscriptions: [] });
  return { requireMs: t1 - t0, activateMs: performance.now() - t1 };
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension('storage-inspector.storage-inspector');
  if (!ext) throw new Error('extension not found');
  const wasActive = ext.isActive;
  const dir = mkdtempSync(path.join(tmpdir(), 'si-bench-empty-'));
  try {
    const empty = path.join(dir, 'empty.js');
    writeFileSync(empty, EMPTY);
    // Our bundle, required but not activated (activating a copy would register everything twice).
    const copy = path.join(dir, 'ours.js');
    copyFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), copy);
    const emptyFirst = process.env.SI_BENCH_ORDER !== 'ours-first';
    const [e, o] = emptyFirst ? [load(empty, true), load(copy, false)] : (() => { const oo = load(copy, false); return [load(empty, true), oo]; })();
    const t0 = performance.now();
    await ext.activate();
    const hostMs = performance.now() - t0;
    const stats = (await vscode.commands.executeCommand('storageInspector.internal.activationStats')) as {
      activationMs: number;
      loadMs: number;
      loaded: string[];
      ui: string[];
    };
    writeFileSync(process.env.SI_TEST_RESULTS!, JSON.stringify({ wasActive, hostMs, ...stats, empty: e, oursRequireMs: o.requireMs, vscode: vscode.version }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
