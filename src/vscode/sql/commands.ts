import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import { formatBytes } from '../../core/local/limits';
import type { IndexSpec } from '../../lazy/sql';
import type { Ctx } from '../ctx';
import type { OpenDb, OpenDbOptions, SaveOptions } from './databases';
import type { SqlNode } from './nodes';
import { SqliteTableSource } from './tableSource';
import { localUri } from '../local/uri';
import { s3Uri } from '../s3/uri';
import { isLayered } from '../local/open';
import { findRoot } from '../local/settings';
import { answersOf, confirm, input, offer, pick, pickMany } from '../prompts';
import { treeRows } from '../treeRows';
import type { CommandSpec } from '../commands/spec';

// Every command takes its inputs as arguments (tree node, URI, options) so tests and other
// commands skip the prompts; without them it asks.

/**
 * A URI from a URI, a path, or a node of another view. A Local view file with gzip/age layers
 * opens through storage-local://, whose provider peels them on read and re-applies them on save.
 */
async function toUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string') return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { uri?: unknown; resourceUri?: unknown; kind?: unknown; rootId?: unknown; path?: unknown };
    const s3 = arg as { kind?: unknown; connectionId?: unknown; bucket?: unknown; key?: unknown; versionId?: unknown };
    if ((s3.kind === 's3Object' || s3.kind === 's3Version') && typeof s3.connectionId === 'string' && typeof s3.bucket === 'string' && typeof s3.key === 'string') {
      // The S3 provider peels gzip/age on read and writes back conditionally; a version is read-only.
      return s3Uri({ connectionId: s3.connectionId, bucket: s3.bucket, key: s3.key, ...(typeof s3.versionId === 'string' ? { versionId: s3.versionId } : {}) });
    }
    if (o.kind === 'file' && typeof o.rootId === 'string' && typeof o.path === 'string') {
      const root = findRoot(o.rootId);
      return root && (await isLayered(o.path)) ? localUri(root, o.path) : vscode.Uri.file(o.path);
    }
    return toUri(o.resourceUri ?? o.uri);
  }
  return undefined;
}

/** The database a command is about: from its node or id, the active query editor, or the only one open. */
async function dbFrom(ctx: Ctx, arg: unknown): Promise<OpenDb> {
  const { dbs, queries } = ctx.sql;
  const id = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? (arg as { db?: unknown }).db : undefined;
  if (typeof id === 'string') {
    const db = dbs.get(id) ?? dbs.byUri(vscode.Uri.parse(id));
    if (db) return db;
  }
  // The grid the user is looking at (Ctrl+S and the toolbar pass the id; the palette does not).
  const grid = ctx.sql.grids.active();
  const shown = grid ? dbs.get(grid.group) : undefined;
  if (shown) return shown;
  const editor = vscode.window.activeTextEditor;
  const bound = editor ? queries.dbOf(editor.document) : undefined;
  if (bound) return bound;
  const all = dbs.all();
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) throw storageError('NotFound', 'No database is open. Open one with "Open SQLite Database...".');
  const chosen = await pick(all.map((d) => ({ label: d.label, description: d.uri.toString(true), db: d })), { placeHolder: 'Which database?' });
  if (!chosen) throw storageError('Cancelled', 'No database was chosen.');
  return chosen.db;
}

async function openDatabase(ctx: Ctx, arg?: unknown, opts: OpenDbOptions = {}): Promise<string | undefined> {
  let uri = await toUri(arg);
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Open Database', filters: { 'SQLite databases': ['db', 'sqlite', 'sqlite3', 'db3', 's3db'], 'All files': ['*'] } });
    uri = picked?.[0];
    if (!uri) return undefined;
  }
  const db = await ctx.sql.dbs.load(uri, opts);
  return db.id;
}

async function createIndex(ctx: Ctx, arg?: unknown, spec?: Partial<IndexSpec> & { columns?: (string | { name: string; desc?: boolean; collate?: string })[] }): Promise<string | undefined> {
  const db = await dbFrom(ctx, arg);
  const table = spec?.table ?? (arg as { table?: string } | undefined)?.table;
  if (!table) throw storageError('BadInput', 'Choose a table in the SQL view, then "Create Index...".');
  const t = db.schema?.tables.find((x) => x.name === table);
  if (!t) throw storageError('NotFound', `There is no table named ${table}.`);
  let columns = spec?.columns?.map((c) => (typeof c === 'string' ? { name: c } : c));
  if (!columns) {
    const picks = await pickMany(t.columns.filter((c) => c.hidden === 'normal').map((c) => ({ label: c.name, description: c.type })), { placeHolder: `Columns of ${table} to index, in order` });
    if (!picks?.length) return undefined;
    columns = picks.map((p) => ({ name: p.label }));
  }
  let name = spec?.name;
  if (!name) {
    name = await input({ prompt: 'Index name', value: `${table}_${columns.map((c) => c.name).join('_')}` });
    if (!name) return undefined;
  }
  const full: IndexSpec = { name, table, columns };
  if (spec?.unique) full.unique = true;
  if (spec?.where) full.where = spec.where;
  await db.session.call('createIndex', full);
  await ctx.sql.dbs.refresh(db);
  ctx.log.info(`created index ${name} on ${table} in ${db.label}`);
  return name;
}

/** What a save or discard did, shown without waiting for a click. */
const tell = (message: string): void => void offer('info', message, []);

export const commands: CommandSpec[] = [
  { id: 'sql.openDatabase', run: openDatabase },
  {
    id: 'sql.openAsDatabase',
    run: async (ctx, arg?: unknown, opts: OpenDbOptions = {}) => {
      if (!(await toUri(arg))) throw storageError('BadInput', 'Choose a file or object to open as a database.');
      return openDatabase(ctx, arg, opts);
    },
  },
  {
    id: 'sql.closeDatabase',
    run: async (ctx, arg?: unknown, answers?: unknown) => {
      const db = await dbFrom(ctx, arg);
      const closed = await ctx.sql.dbs.close(db, answersOf(answers));
      // Its grids would only show errors now.
      if (closed) ctx.sql.grids.forDb(db.id).forEach((p) => p.dispose());
      return closed;
    },
  },
  { id: 'sql.refresh', run: (ctx) => ctx.sql.tree.refresh(true) },
  {
    id: 'sql.showRows',
    run: async (ctx, arg?: { db?: string; table?: string; view?: string }) => {
      const db = await dbFrom(ctx, arg);
      const table = arg?.table ?? arg?.view;
      if (!table) throw storageError('BadInput', 'Choose a table or view in the SQL view, then "Show Rows".');
      const panel = await ctx.sql.grids.showTable(ctx, `${db.id}\n${table}`, () => new SqliteTableSource(ctx, ctx.sql.dbs, db, table));
      return { panel: panel.key, total: panel.cursor?.total ?? 0 };
    },
  },
  {
    id: 'sql.newQuery',
    run: async (ctx, arg?: unknown, text?: string) => {
      const editor = await ctx.sql.queries.newQuery(await dbFrom(ctx, arg), text);
      return editor.document.uri.toString();
    },
  },
  {
    id: 'sql.runQuery',
    run: (ctx, opts?: { all?: boolean }) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw storageError('BadInput', 'Open a query editor first ("New Query" on a database).');
      return ctx.sql.queries.run(editor, opts?.all === true, answersOf(opts));
    },
  },
  { id: 'sql.cancelQuery', run: async (ctx, arg?: unknown) => ctx.sql.queries.cancel(arg ? await dbFrom(ctx, arg) : undefined) },
  {
    id: 'sql.explainQuery',
    run: (ctx) => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) throw storageError('BadInput', 'Open a query editor first ("New Query" on a database).');
      return ctx.sql.queries.explain(editor);
    },
  },
  { id: 'sql.createIndex', run: createIndex },
  {
    id: 'sql.dropIndex',
    run: async (ctx, arg?: { db?: string; index?: string }, answers?: unknown) => {
      const db = await dbFrom(ctx, arg);
      const name = arg?.index;
      if (!name) throw storageError('BadInput', 'Choose an index in the SQL view, then "Drop Index".');
      if (!(await confirm(`Drop index ${name} from ${db.label}? (Nothing is written until you save.)`, 'Drop Index', answersOf(answers)))) return false;
      await db.session.call('dropIndex', { name });
      await ctx.sql.dbs.refresh(db);
      ctx.log.info(`dropped index ${name} in ${db.label}`);
      return true;
    },
  },
  {
    id: 'sql.saveDatabase',
    run: async (ctx, arg?: unknown, opts?: SaveOptions) => {
      const db = await dbFrom(ctx, arg);
      const outcome = await ctx.sql.dbs.save(db, opts ?? {});
      // A conflict's own choices ('copied', 'reloaded', 'kept') say what they did.
      if (outcome === 'saved') tell(`Saved ${db.label}: wrote ${db.stats ? formatBytes(db.stats.sizeBytes) : 'the database'} to ${db.uri.scheme === 'file' ? db.uri.fsPath : db.uri.toString(true)}.`);
      if (outcome === 'unchanged') tell(`${db.label} has no unsaved changes, so there was nothing to save and nothing was written.`);
      return outcome;
    },
  },
  {
    id: 'sql.discardChanges',
    run: async (ctx, arg?: unknown, answers?: unknown) => {
      const db = await dbFrom(ctx, arg);
      if (!db.session.dirty) {
        tell(`${db.label} has no unsaved changes, so there is nothing to discard.`);
        return false;
      }
      if (!(await confirm(`Discard the unsaved changes to ${db.label}?`, 'Discard', answersOf(answers)))) return false;
      await ctx.sql.dbs.discard(db);
      await ctx.sql.grids.refreshTables(db.id);
      tell(`Discarded the unsaved changes to ${db.label}; it shows the file as last saved.`);
      return true;
    },
  },
  // For tests and the bench: what the tree shows, and a grid page fetched as the webview fetches it.
  { id: 'sql.internal.rows', run: async (ctx, node?: SqlNode, depth?: number) => treeRows(ctx.sql.tree, await ctx.sql.tree.getChildren(node), depth) },
  {
    id: 'sql.internal.gridPage',
    run: (ctx, panelKey: string, offset: number, limit: number) => {
      const p = ctx.sql.grids.find(panelKey);
      if (!p) throw storageError('NotFound', `No grid panel ${panelKey}.`);
      return p.page(offset, limit);
    },
  },
  // For tests: what a results panel shows now (by database id, or `pg:<connection>/<database>`).
  { id: 'sql.internal.results', run: (ctx, id: string) => ctx.sql.grids.find(`${id}\n#results`)?.shown },
  // For tests: the nodes redrawn since the last call ('root' for the whole view).
  { id: 'sql.internal.redrawn', run: (ctx) => ctx.sql.tree.takeRedrawn() },
  { id: 'sql.internal.dirty', run: async (ctx, arg?: unknown) => (await dbFrom(ctx, arg)).session.dirty },
];
