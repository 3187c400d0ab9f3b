import * as vscode from 'vscode';
import type { ForgetPlan, PruneReport } from '../../lazy/backup';
import { formatBytes } from '../../core/local/limits';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { backup } from '../lazy';
import { confirm, input, withProgress } from '../prompts';
import { DEFAULT_RULES, parseRules } from './forgetRules';
import { optionsOf, repoIdOf } from './targets';
import { snapshotTime } from './uri';

export interface ForgetOutcome {
  removed: string[];
  kept: string[];
  prune?: PruneReport;
}

/** The preview: per group (host and paths, as restic groups), what stays and why, and what goes. */
function previewText(name: string, rules: string, plan: ForgetPlan): string {
  const lines = [`Forget in ${name} with the rules: ${rules}`, ''];
  for (const g of plan.groups) {
    lines.push(`Host ${g.host ?? ''}, paths ${(g.paths ?? []).join(', ')}: keep ${g.keep.length}, forget ${g.remove.length}`);
    const why = new Map(g.reasons.map((r) => [r.snapshot.id, r.matches.join(', ')]));
    for (const s of g.keep) lines.push(`  keep    ${s.id.slice(0, 8)}  ${snapshotTime(s.time)}  ${why.get(s.id) ?? ''}`);
    for (const s of g.remove) lines.push(`  forget  ${s.id.slice(0, 8)}  ${snapshotTime(s.time)}`);
    lines.push('');
  }
  lines.push(`${plan.remove.length} of ${plan.keep.length + plan.remove.length} snapshot(s) go; a prune then removes the data only they used.`);
  return `${lines.join('\n')}\n`;
}

/**
 * "Forget Snapshots...": keep rules (restic forget's), a preview of what goes, a confirmation,
 * then forget under an exclusive lock and a prune of the data no snapshot uses any more.
 */
async function forgetSnapshots(ctx: Ctx, arg?: unknown, opts?: unknown): Promise<ForgetOutcome | undefined> {
  const answers = optionsOf(opts);
  const repoId = await repoIdOf(ctx, arg, {}, 'Forget snapshots in');
  if (!repoId) return undefined;
  const r = ctx.backup.repos.get(repoId);
  const rules = await input({ title: 'Forget Snapshots: which to keep (last, hourly, daily, weekly, monthly, yearly N or all; tag NAME)', value: DEFAULT_RULES, ignoreFocusOut: true, validateInput: (v) => { try { parseRules(v); return undefined; } catch (e) { return (e as Error).message; } } }, answers);
  if (!rules) return undefined;
  const policy = parseRules(rules);
  const snaps = await ctx.backup.repos.listSnapshots(repoId);
  const plan = backup().planForget(snaps, policy);
  if (plan.remove.length === 0) {
    void vscode.window.showInformationMessage(`${r.name}: the rules keep all ${plan.keep.length} snapshot(s); nothing to forget.`);
    return { removed: [], kept: plan.keep.map((s) => s.id) };
  }
  const doc = await vscode.workspace.openTextDocument({ content: previewText(r.name, rules, plan), language: 'plaintext' });
  await vscode.window.showTextDocument(doc, { preview: true });
  const ok = await confirm(`Forget ${plan.remove.length} of ${snaps.length} snapshot(s) in ${r.name} (listed in the preview) and prune the data only they use? This cannot be undone.`, 'Forget and Prune', answers);
  if (!ok) return undefined;
  const repo = await ctx.backup.repos.repository(repoId);
  const outcome = await withProgress(`Forgetting ${plan.remove.length} snapshot(s) in ${r.name}`, async (signal, report) => {
    const removed = await backup().forget(repo, plan.remove.map((s) => s.id));
    report(`${removed.length} snapshot(s) forgotten; pruning`);
    repo.resetIndex();
    const pruned = await backup().prune(repo, { signal, onProgress: (p) => report(`prune: ${p.phase} ${p.done} / ${p.total}`) });
    return { removed, kept: plan.keep.map((s) => s.id), prune: pruned };
  });
  ctx.backup.repos.forget(repoId);
  ctx.backup.tree.refresh({ kind: 'backupRepo', repoId });
  const p = outcome.prune;
  ctx.log.info(`forgot ${outcome.removed.length} snapshot(s) in ${r.name}; prune deleted ${p?.packsDeleted ?? 0} pack(s), repacked ${p?.packsRepacked ?? 0}, freed ${formatBytes(p?.bytesFreed ?? 0)}`);
  void vscode.window.showInformationMessage(`${r.name}: forgot ${outcome.removed.length} snapshot(s), kept ${outcome.kept.length}; the prune freed ${formatBytes(p?.bytesFreed ?? 0)} (${p?.packsDeleted ?? 0} pack(s) deleted, ${p?.packsRepacked ?? 0} repacked).`);
  return outcome;
}

export const forgetCommands: CommandSpec[] = [{ id: 'backup.forget', run: forgetSnapshots }];
