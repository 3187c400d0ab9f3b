import * as vscode from 'vscode';
import { innerName } from '../../core/names';

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

/** Gives a decoded document the language of its inner name (`config.json.gz.age` is JSON). */
export async function applyInnerLanguage(doc: vscode.TextDocument): Promise<vscode.TextDocument> {
  const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
  const inner = innerName(name);
  if (inner === name) return doc;
  const lang = languageForName(inner);
  return lang && doc.languageId !== lang ? vscode.languages.setTextDocumentLanguage(doc, lang) : doc;
}

/** Applies the inner name's language to every document of `scheme`, open now or later. */
export function followInnerLanguage(scheme: string): vscode.Disposable {
  const apply = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme === scheme) void applyInnerLanguage(doc);
  };
  vscode.workspace.textDocuments.forEach(apply);
  return vscode.workspace.onDidOpenTextDocument(apply);
}
