import { basename, dirname, join } from 'node:path';
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Algorithm, ManifestAlgorithm, VerifyResult } from '../../core/checksum';
import { storageError } from '../../core/errors';
import { statPath } from '../../core/local/entry';
import { formatBytes } from '../../core/local/limits';
import type { Ctx } from '../ctx';
import { codec } from '../lazy';
import { type Answers, pick, withProgress } from '../prompts';
import { readSetting } from '../settings';
import { tellChanged } from './feedback';

/** Hashes a file with the algorithm given (or picked), shows the digest and copies it. */
export async function computeChecksum(ctx: Ctx, path: string, algorithm?: string): Promise<string | undefined> {
  const api = codec();
  const alg: Algorithm | undefined = algorithm !== undefined ? api.checkAlgorithm(algorithm) : await pickAlgorithm(api.ALGORITHMS);
  if (!alg) return undefined;
  const entry = await statPath(path);
  if (entry.kind !== 'file') throw storageError('BadInput', `${path} is not a file. Pick a file to hash.`);
  const hex = await withProgress(`Computing ${alg} of ${basename(path)}`, (signal) => api.hashFile(path, alg, signal));
  await vscode.env.clipboard.writeText(hex);
  ctx.log.info(`${alg} ${hex}  ${path}`);
  void vscode.window.showInformationMessage(`${alg} of ${basename(path)}: ${hex} (copied)`);
  return hex;
}

async function pickAlgorithm(all: readonly Algorithm[]): Promise<Algorithm | undefined> {
  const picked = await pick(all.map((a) => ({ label: a })), { title: 'Checksum algorithm' });
  return picked?.label;
}

async function pickManifestAlgorithm(): Promise<ManifestAlgorithm | undefined> {
  const picked = await pick(
    [
      { label: 'SHA256SUMS', description: 'sha256, checked by `sha256sum -c`', alg: 'sha256' as const },
      { label: 'B3SUMS', description: 'BLAKE3, checked by `b3sum -c`', alg: 'blake3' as const },
    ],
    { title: 'Manifest format' },
  );
  return picked?.alg;
}

function manifestAlgorithm(value: unknown): ManifestAlgorithm {
  if (value === 'sha256' || value === 'blake3') return value;
  throw storageError('BadInput', `algorithm: "${String(value)}" cannot make a manifest. Use sha256 or blake3.`);
}

/** Writes SHA256SUMS or B3SUMS for a folder, with progress and cancel. */
export async function writeManifestFor(ctx: Ctx, dir: string, algorithm?: string): Promise<{ path: string; files: number } | undefined> {
  const alg = algorithm !== undefined ? manifestAlgorithm(algorithm) : await pickManifestAlgorithm();
  if (!alg) return undefined;
  const { path, entries } = await withProgress(`Writing manifest for ${basename(dir)}`, (signal, report) => {
    let last = 0;
    return codec().writeManifest(dir, alg, {
      signal,
      concurrency: readSetting('local.hashConcurrency'),
      onProgress: (p) => {
        const pct = (100 * p.files) / Math.max(1, p.totalFiles);
        report(`${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)}`, pct - last);
        last = pct;
      },
    });
  });
  tellChanged(ctx, `Wrote ${basename(path)} in ${basename(dir)} with ${entries.length} file${entries.length === 1 ? '' : 's'}.`, { open: path, reveal: path });
  return { path, files: entries.length };
}

/**
 * Verifies a manifest (or the one in a folder) and lists what is not OK in the Problems panel,
 * on the manifest's lines: changed (error), missing (warning), new (information).
 */
export async function verifyManifestFor(ctx: Ctx, target: string, diagnostics: vscode.DiagnosticCollection | undefined, algorithm?: string, answers: Answers = {}): Promise<VerifyResult[] | undefined> {
  const manifest = await findManifest(target, algorithm, answers);
  if (!manifest) return undefined;
  const alg = algorithm !== undefined ? manifestAlgorithm(algorithm) : basename(manifest) === 'B3SUMS' ? 'blake3' : 'sha256';
  const results = await withProgress(`Verifying ${basename(manifest)}`, (signal, report) =>
    codec().verifyManifest(manifest, alg, { signal, concurrency: readSetting('local.hashConcurrency'), onProgress: (p) => report(`${p.files}/${p.totalFiles} files`) }),
  );
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const summary = `${basename(dirname(manifest))}/${basename(manifest)}: ${count('ok')} OK, ${count('changed')} changed, ${count('missing')} missing, ${count('new')} new`;
  ctx.log.info(summary);
  if (diagnostics) {
    const uri = vscode.Uri.file(manifest);
    diagnostics.set(uri, results.filter((r) => r.status !== 'ok').map(toDiagnostic));
  }
  const bad = results.length - count('ok');
  if (bad > 0) tellChanged(ctx, `${summary}. The ${bad} finding${bad === 1 ? ' is' : 's are'} in the Problems panel.`, { problems: true }, 'warning');
  else tellChanged(ctx, `${summary}.`);
  return results;
}

function toDiagnostic(r: VerifyResult): vscode.Diagnostic {
  const line = r.line ?? 0;
  const range = new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
  const text =
    r.status === 'changed' ? `${r.name}: changed (expected ${r.expected}, found ${r.actual})`
    : r.status === 'missing' ? `${r.name}: missing`
    : `${r.name}: new, not in the manifest`;
  const severity = r.status === 'changed' ? vscode.DiagnosticSeverity.Error : r.status === 'missing' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(range, text, severity);
  d.source = 'Storage manifest';
  d.code = r.status;
  return d;
}

/**
 * The manifest to verify: the file given, or the one in the folder. Only when a folder holds both
 * SHA256SUMS and B3SUMS (and no algorithm says which) is the user asked.
 */
async function findManifest(target: string, algorithm: string | undefined, answers: Answers): Promise<string | undefined> {
  const st = await statPath(target);
  if (st.kind === 'file') return target;
  const present: string[] = [];
  for (const name of ['SHA256SUMS', 'B3SUMS']) {
    const p = join(target, name);
    if (await stat(p).then((s) => s.isFile(), () => false)) present.push(p);
  }
  if (present.length === 0) throw storageError('NotFound', `${target} has no SHA256SUMS or B3SUMS. Write a manifest first ("Write Manifest..."), or pick the manifest file.`);
  if (algorithm !== undefined) {
    const wanted = manifestAlgorithm(algorithm) === 'blake3' ? 'B3SUMS' : 'SHA256SUMS';
    const p = present.find((m) => basename(m) === wanted);
    if (!p) throw storageError('NotFound', `${target} has no ${wanted}; it has ${present.map((m) => basename(m)).join(' and ')}. Verify that one, or write a ${wanted} first.`);
    return p;
  }
  if (present.length === 1) return present[0];
  const picked = await pick(present.map((p) => ({ label: basename(p), description: p, path: p })), { title: `${basename(target)} has both manifests: verify which?` }, answers);
  return picked?.path;
}
