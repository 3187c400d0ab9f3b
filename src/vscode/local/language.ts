import * as vscode from 'vscode';

interface LanguageContribution {
  id?: string;
  extensions?: string[];
  filenames?: string[];
}

/**
 * The language VS Code would give a file of this name, from the installed extensions'
 * `contributes.languages` (there is no API for it). Longest matching extension wins.
 */
export function languageForName(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { id: string; len: number } | undefined;
  for (const ext of vscode.extensions.all) {
    const langs = (ext.packageJSON as { contributes?: { languages?: LanguageContribution[] } }).contributes?.languages ?? [];
    for (const l of langs) {
      if (!l.id) continue;
      if (l.filenames?.some((f) => f.toLowerCase() === lower)) return l.id;
      for (const e of l.extensions ?? []) {
        if (lower.endsWith(e.toLowerCase()) && (!best || e.length > best.len)) best = { id: l.id, len: e.length };
      }
    }
  }
  return best?.id;
}
