import * as vscode from 'vscode';

export const SECTION = 'storageInspector';
/** Sizes in the settings are in MB: decimal, as formatBytes shows them. */
export const MB = 1_000_000;

/**
 * Every setting the extension reads, by its key under `storageInspector.`, with its type.
 * The defaults live only in package.json (`contributes.configuration`); a manifest test checks
 * that each key here is declared there.
 */
export interface SettingTypes {
  'encryption.recipientRules': unknown[];
  'encryption.maxScryptWorkFactor': number;
  'documents.askAboveMB': number;
  'documents.maxOpenMB': number;
  'local.roots': unknown[];
  'local.pageSize': number;
  'local.hashConcurrency': number;
  's3.connections': unknown[];
  's3.pageSize': number;
  'sql.discoveryGlob': string;
  'sql.discoveryExclude': string;
  'sql.discoveryMaxFiles': number;
  'sql.discoveryMaxSizeMB': number;
  'sql.askAboveSizeMB': number;
  'sql.pageSize': number;
  'sql.maxResultRows': number;
  'sql.editRemoteDatabases': boolean;
  'pg.connections': unknown[];
  'pg.showSystemSchemas': boolean;
  'pg.statementTimeoutMs': number;
  'backup.repositories': unknown[];
  'backup.pageSize': number;
}
export type SettingKey = keyof SettingTypes;

const config = () => vscode.workspace.getConfiguration(SECTION);

/**
 * A setting's value, read fresh (a configuration object is a snapshot). A value of the wrong
 * type (a hand-edited settings.json) falls back to package.json's default, with a warning once.
 */
export function readSetting<K extends SettingKey>(key: K): SettingTypes[K] {
  const c = config();
  const declared = c.inspect<SettingTypes[K]>(key)?.defaultValue;
  if (declared === undefined) throw new Error(`${SECTION}.${key} is not declared in package.json.`);
  const value = c.get<unknown>(key);
  if (sameKind(value, declared)) return value as SettingTypes[K];
  warnOnce(key, value);
  return declared;
}

/** Writes a setting where it is defined now (workspace folder, workspace, else user), unless told where. */
export async function writeSetting<K extends SettingKey>(key: K, value: SettingTypes[K], target?: vscode.ConfigurationTarget): Promise<void> {
  const c = config();
  const where = c.inspect(key);
  const chosen =
    target ??
    (where?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : where?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global);
  await c.update(key, value, chosen);
}

/** True when a configuration change touches this setting (or, for an area prefix, any of its settings). */
export function affects(e: vscode.ConfigurationChangeEvent, keyOrArea: SettingKey | 'sql' | 'local' | 's3' | 'documents' | 'backup'): boolean {
  return e.affectsConfiguration(`${SECTION}.${keyOrArea}`);
}

function sameKind(value: unknown, declared: unknown): boolean {
  if (Array.isArray(declared)) return Array.isArray(value);
  return typeof value === typeof declared && (typeof value !== 'number' || Number.isFinite(value));
}

const warned = new Set<string>();
function warnOnce(key: string, value: unknown): void {
  if (warned.has(key)) return;
  warned.add(key);
  void vscode.window.showWarningMessage(`The setting ${SECTION}.${key} has a value of the wrong type (${typeof value}); its default is used. Fix it in the settings.`);
}
