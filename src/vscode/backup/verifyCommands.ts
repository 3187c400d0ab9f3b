import * as vscode from 'vscode';
import { join } from 'node:path';
import type { CheckReport } from '../../lazy/backup';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { input, pick, withProgress, type Answers } from '../prompts';
import { s3Uri } from '../s3/uri';
import type { BackupRepo } from './repositories';
import { optionsOf, repoIdOf } from './targets';
import { backupUri } from './uri';

/** What Verify takes after the repository: the mode (else a pick) and, for a subset, `n/t`. */
export interface VerifyArgs extends Answers {
  readData?: boolean;
  subset?: string;
}

const MODES = ['Structure', 'Structure and all data', 'Structure and a subset of the data...'] as const;

function parseSubset(text: string): { n: number; of: number } {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const n = m ? Number(m[1]) : NaN;
  const of = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && of >= 1 && n <= of && of <= 256)) throw storageError('BadInput', `subset "${text}" is not n/t with 1 <= n <= t <= 256 (e.g. 1/10 reads a tenth of the packs).`);
  return { n, of };
}

/** Where a repository file is, for a problem that names no snapshot path. */
function repoFileUri(r: BackupRepo, file: string | undefined): vscode.Uri {
  if (r.s3) return s3Uri({ connectionId: r.s3.connectionId, bucket: r.s3.bucket, key: [r.s3.prefix, file ?? 'config'].filter(Boolean).join('/') });
  const rel = file?.startsWith('data/') ? `data/${file.slice(5, 7)}/${file.slice(5)}` : (file ?? 'config');
  return vscode.Uri.file(join(r.path ?? '', rel));
}

/** Puts a report in the Problems panel: each damaged file of each snapshot, and each damaged repository file. */
export function showReport(ctx: Ctx, r: BackupRepo, report: CheckReport, times: Map<string, string>): number {
  const problems = ctx.backup.problems;
  problems.clear();
  const range = new vscode.Range(0, 0, 0, 0);
  const byUri = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
  const add = (uri: vscode.Uri, message: string) => {
    const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    d.source = 'Verify';
    const e = byUri.get(uri.toString()) ?? { uri, diags: [] };
    e.diags.push(d);
    byUri.set(uri.toString(), e);
  };
  const causes = report.problems.map((p) => p.message).slice(0, 3).join(' ');
  for (const a of report.affected) {
    for (const path of a.paths) add(backupUri({ repoId: r.id, snapshotId: a.snapshot, path }, times.get(a.snapshot)), `${path} in snapshot ${a.snapshot.slice(0, 8)} cannot be restored intact: ${causes}`);
  }
  for (const p of report.problems) add(repoFileUri(r, p.file), `${r.name}: ${p.message}`);
  for (const { uri, diags } of byUri.values()) problems.set(uri, diags);
  return byUri.size;
}

async function verify(ctx: Ctx, arg?: unknown, opts?: unknown): Promise<CheckReport | undefined> {
  const o = optionsOf<VerifyArgs>(opts);
  const repoId = await repoIdOf(ctx, arg, o, 'Verify which repository?');
  if (!repoId) return undefined;
  let readData = o.readData;
  let subset = o.subset !== undefined ? parseSubset(o.subset) : undefined;
  if (readData === undefined) {
    const mode = await pick(MODES.map((m) => ({ label: m, description: m === 'Structure' ? 'index, packs and trees; quick' : m.includes('subset') ? 'read n/t of the packs' : 'read every pack, check every blob' })), { title: 'Verify: what to check' }, o);
    if (!mode) return undefined;
    readData = mode.label !== 'Structure';
    if (mode.label.includes('subset')) {
      const text = await input({ title: 'Verify a subset: n/t (1/10 reads a tenth of the packs)', value: '1/10', ignoreFocusOut: true, validateInput: (v) => { try { parseSubset(v); return undefined; } catch (e) { return (e as Error).message; } } }, o);
      if (!text) return undefined;
      subset = parseSubset(text);
    }
  }
  const r = ctx.backup.repos.get(repoId);
  const repo = await ctx.backup.repos.repository(repoId);
  const report = await withProgress(`Verifying ${r.name}`, async (signal, progress) => {
    // A non-exclusive lock: refused beside a prune, which could remove packs while they are read.
    const lock = await backup().lockRepository(repo);
    try {
      let last = 0;
      return await backup().check(repo, {
        readData,
        ...(subset ? { subset } : {}),
        signal,
        onProgress: (done, total) => {
          const pct = total ? (done / total) * 100 : 100;
          progress(`${done} / ${total} packs read`, pct - last);
          last = pct;
        },
      });
    } finally {
      await lock.release();
    }
  });
  const times = new Map((await ctx.backup.repos.listSnapshots(repoId).catch(() => [])).map((s) => [s.id, s.time] as const));
  showReport(ctx, r, report, times);
  const what = readData ? (subset ? `structure and ${subset.n}/${subset.of} of the data (${report.packsRead} packs, ${report.blobsChecked} blobs)` : `structure and all data (${report.packsRead} packs, ${report.blobsChecked} blobs)`) : 'structure';
  ctx.log.info(`verified ${r.name} (${what}): ${report.problems.length} problem(s)`);
  if (report.ok) {
    void vscode.window.showInformationMessage(`${r.name}: no problems found (${what} checked)${report.unreferencedPacks.length ? `; ${report.unreferencedPacks.length} pack(s) no index names, which a prune removes` : ''}.`);
  } else {
    const files = report.affected.reduce((n, a) => n + a.paths.length, 0);
    void vscode.window.showErrorMessage(`${r.name}: ${report.problems.length} problem(s) found, affecting ${files} file(s) in ${report.affected.length} snapshot(s). Nothing was changed.`, 'Show Problems').then((b) => {
      if (b) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }
  return report;
}

export const verifyCommands: CommandSpec[] = [{ id: 'backup.verify', run: verify }];
