import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { storageError } from '../../core/errors';
import type { CommandSpec } from '../commands/spec';
import type { Ctx } from '../ctx';
import { pg } from '../lazy';
import { answersOf, confirm, pick } from '../prompts';
import type { PgConnection } from './connections';
import { connectionTarget } from './render';
import { type StepAnswers, Steps, stepAnswersOf } from './wizard';

const SSL_CHOICES = [
  { label: 'verify-full', detail: 'TLS; the certificate must be signed by the CA and name the host (recommended)' },
  { label: 'verify-ca', detail: 'TLS; the certificate must be signed by the CA' },
  { label: 'require', detail: 'TLS, without checking the certificate' },
  { label: 'prefer', detail: 'TLS when the server offers it, else plain (libpq\'s default)' },
  { label: 'disable', detail: 'No TLS' },
];
const HOW = ['Host and port', 'Connection URI (postgres://...)', 'Service from pg_service.conf'] as const;

/** A connection to save, with the password that goes to SecretStorage (never to the settings). */
export type NewConnection = Omit<PgConnection, 'id'> & { id?: string; password?: string };

const portCheck = (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'A port is a number from 1 to 65535');

/** The wizard: how to connect, then the fields, the password and a name. Undefined when dismissed. */
async function ask(steps: Steps, prev: Partial<PgConnection> = {}): Promise<NewConnection | undefined> {
  const how = await steps.pick([...HOW], { title: 'PostgreSQL connection: connect by', ignoreFocusOut: true });
  if (!how) return undefined;
  const out: NewConnection = { name: '' };
  if (how === HOW[1]) {
    const uri = await steps.text({ title: 'PostgreSQL connection: URI', placeHolder: 'postgres://user@host:5432/database?sslmode=verify-full', ignoreFocusOut: true,
      validateInput: (v) => { try { pg().parsePgUri(v); return undefined; } catch (e) { return (e as Error).message; } } });
    if (uri === undefined) return undefined;
    const p = pg().parsePgUri(uri);
    Object.assign(out, { host: p.host, port: p.port, database: p.database, user: p.user, sslmode: p.sslmode, sslrootcert: p.sslrootcert, service: p.service });
    // A password in the URI moves to SecretStorage; the settings keep the rest.
    if (p.password !== undefined) out.password = p.password;
  } else if (how === HOW[2]) {
    const service = await steps.text({ title: 'PostgreSQL connection: service name (a [section] of ~/.pg_service.conf or PGSERVICEFILE)', value: prev.service ?? '', ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A service name is needed') });
    if (service === undefined) return undefined;
    out.service = service.trim();
  } else {
    const host = await steps.text({ title: 'PostgreSQL connection: host', value: prev.host ?? 'localhost', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A host name or address is needed') });
    if (host === undefined) return undefined;
    const port = await steps.text({ title: 'PostgreSQL connection: port', value: String(prev.port ?? 5432), ignoreFocusOut: true, validateInput: portCheck });
    if (port === undefined) return undefined;
    const database = await steps.text({ title: 'PostgreSQL connection: database (empty: same as the user)', value: prev.database ?? 'postgres', ignoreFocusOut: true });
    if (database === undefined) return undefined;
    const user = await steps.text({ title: 'PostgreSQL connection: user (empty: PGUSER or your login name)', value: prev.user ?? '', ignoreFocusOut: true });
    if (user === undefined) return undefined;
    const ssl = await steps.pick(SSL_CHOICES, { title: 'PostgreSQL connection: TLS (sslmode)', ignoreFocusOut: true });
    if (!ssl) return undefined;
    Object.assign(out, { host: host.trim(), port: Number(port), database: database.trim(), user: user.trim(), sslmode: ssl.label });
    if (ssl.label.startsWith('verify')) {
      const ca = await steps.text({ title: 'PostgreSQL connection: CA certificate file (PEM; empty: ~/.postgresql/root.crt)', value: prev.sslrootcert ?? '', ignoreFocusOut: true });
      if (ca === undefined) return undefined;
      if (ca.trim()) out.sslrootcert = ca.trim();
    }
  }
  if (out.password === undefined) {
    const password = await steps.text({ title: 'PostgreSQL connection: password (kept in the secret storage; empty: PGPASSWORD or ~/.pgpass)', password: true, ignoreFocusOut: true });
    if (password === undefined) return undefined;
    if (password) out.password = password;
  }
  const name = await steps.text({ title: 'PostgreSQL connection: name shown in the SQL view', value: prev.name ?? defaultName(out), ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A name is needed') });
  if (name === undefined) return undefined;
  out.name = name.trim();
  if (prev.readOnly) out.readOnly = true;
  return out;
}

function defaultName(c: NewConnection): string {
  return c.service && !c.host ? c.service : `${c.database || c.user || 'postgres'} on ${c.host ?? 'localhost'}`;
}

async function save(ctx: Ctx, c: NewConnection, id: string): Promise<string> {
  const { password, ...rest } = c;
  await ctx.pg.connections.save({ ...rest, id }, password);
  await ctx.pg.closeSessions(id);
  ctx.pg.refresh();
  ctx.log.info(`saved PostgreSQL connection ${c.name} (${id}): ${connectionTarget({ ...rest, id })}`);
  return id;
}

/** Opens a session and runs the tree's first level; the user sees what failed and what to do. */
async function probe(ctx: Ctx, id: string): Promise<string> {
  const s = await ctx.pg.session(id);
  const dbs = await pg().listDatabases(s);
  return `${s.describe()}: ${dbs.length} database(s)`;
}

async function addConnection(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
  const steps = new Steps(stepAnswersOf(arg));
  const c = await ask(steps);
  if (!c) return undefined;
  const id = await save(ctx, c, randomUUID());
  try {
    ctx.log.info(`PostgreSQL ${c.name}: ${await probe(ctx, id)}`);
  } catch (e) {
    // Kept, so the user can fix it with Edit; the message says what failed.
    const keep = await steps.pick(['Keep It', 'Remove It'], { title: `The connection failed: ${(e as Error).message}`, ignoreFocusOut: true });
    if (keep !== 'Keep It') {
      await ctx.pg.connections.remove(id);
      await ctx.pg.closeSessions(id);
      ctx.pg.refresh();
      throw e;
    }
  }
  return id;
}

/** Test hook: saves a full connection object (password included) without prompts. */
async function addConnectionDirect(ctx: Ctx, c: NewConnection): Promise<string> {
  if (!c || typeof c.name !== 'string') throw storageError('BadInput', 'pg.internal.addConnection takes a connection object with at least a name.');
  return save(ctx, c, c.id ?? randomUUID());
}

function connectionOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const id = typeof node === 'object' && node !== null ? (node as { connectionId?: unknown }).connectionId : undefined;
  return typeof id === 'string' ? id : undefined;
}

async function pickConnection(ctx: Ctx, node: unknown): Promise<string | undefined> {
  const given = connectionOf(node);
  if (given) return given;
  const list = ctx.pg.connections.list();
  if (list.length === 0) throw storageError('NotFound', 'There is no PostgreSQL connection yet. Add one with "Add PostgreSQL Connection...".');
  const p = await pick(list.map((c) => ({ label: c.name, description: connectionTarget(c), id: c.id })), { title: 'PostgreSQL connection' });
  return p?.id;
}

async function editConnection(ctx: Ctx, node?: unknown, arg?: StepAnswers): Promise<string | undefined> {
  const id = await pickConnection(ctx, node);
  if (!id) return undefined;
  const prev = ctx.pg.connections.get(id);
  const c = await ask(new Steps(stepAnswersOf(arg)), prev);
  if (!c) return undefined;
  // The wizard's empty password keeps the stored one.
  return save(ctx, c, id);
}

async function removeConnection(ctx: Ctx, node?: unknown, opts?: unknown): Promise<boolean> {
  const id = await pickConnection(ctx, node);
  if (!id) return false;
  const c = ctx.pg.connections.get(id);
  if (!(await confirm(`Remove the PostgreSQL connection "${c.name}" and its stored password? The server and its data are not touched.`, 'Remove', answersOf(opts)))) return false;
  await ctx.pg.connections.remove(id);
  await ctx.pg.closeSessions(id);
  ctx.pg.refresh();
  return true;
}

async function setReadOnly(ctx: Ctx, node: unknown, readOnly: boolean): Promise<boolean> {
  const id = await pickConnection(ctx, node);
  if (!id) return false;
  const c = ctx.pg.connections.get(id);
  await ctx.pg.connections.save({ ...c, readOnly });
  await ctx.pg.closeSessions(id);
  ctx.pg.refresh();
  return true;
}

async function testConnection(ctx: Ctx, node?: unknown): Promise<string> {
  const id = await pickConnection(ctx, node);
  if (!id) return '';
  const text = `PostgreSQL "${ctx.pg.connections.get(id).name}": ${await probe(ctx, id)}`;
  ctx.log.info(text);
  void vscode.window.showInformationMessage(text);
  return text;
}

export const connectionCommands: CommandSpec[] = [
  { id: 'pg.addConnection', run: addConnection },
  { id: 'pg.internal.addConnection', run: addConnectionDirect },
  { id: 'pg.editConnection', run: editConnection },
  { id: 'pg.removeConnection', run: removeConnection },
  { id: 'pg.markReadOnly', run: (ctx, node?: unknown) => setReadOnly(ctx, node, true) },
  { id: 'pg.markReadWrite', run: (ctx, node?: unknown) => setReadOnly(ctx, node, false) },
  { id: 'pg.testConnection', run: testConnection },
];
