import * as vscode from 'vscode';

let byExtension: Map<string, string> | undefined;

/** Extension -> language id from every installed extension's manifest (built-ins included). */
function table(): Map<string, string> {
  if (byExtension) return byExtension;
  byExtension = new Map();
  for (const ext of vscode.extensions.all) {
    const langs = (ext.packageJSON as { contributes?: { languages?: { id: string; extensions?: string[] }[] } }).contributes?.languages ?? [];
    for (const l of langs) for (const e of l.extensions ?? []) if (!byExtension.has(e.toLowerCase())) byExtension.set(e.toLowerCase(), l.id);
  }
  return byExtension;
}

/** The language of the inner name: `config.json.gz.age` -> json. */
export function languageForInnerName(name: string): string | undefined {
  const inner = name.replace(/(\.(gz|age))+$/i, '');
  if (inner === name) return undefined;
  const dot = inner.lastIndexOf('.');
  return dot < 0 ? undefined : table().get(inner.slice(dot).toLowerCase());
}

/** Gives decoded documents of a scheme the language of their inner name. */
export function followInnerLanguage(scheme: string): vscode.Disposable {
  const apply = (doc: vscode.TextDocument) => {
    if (doc.uri.scheme !== scheme) return;
    const lang = languageForInnerName(doc.uri.path);
    if (lang && doc.languageId !== lang) void vscode.languages.setTextDocumentLanguage(doc, lang);
  };
  vscode.workspace.textDocuments.forEach(apply);
  return vscode.workspace.onDidOpenTextDocument(apply);
}
