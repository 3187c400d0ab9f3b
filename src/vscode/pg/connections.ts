import * as vscode from 'vscode';
import { storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { affects, readSetting, writeSetting } from '../settings';

/** One entry of `storageInspector.pg.connections`: only what is not secret. */
export interface PgConnection {
  id: string;
  name: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: string;
  sslrootcert?: string;
  /** A service name from pg_service.conf; its fields fill what the others leave empty. */
  service?: string;
  /** Sessions set default_transaction_read_only and the UI offers no edits. */
  readOnly?: boolean;
}

const FIELDS = ['host', 'port', 'database', 'user', 'sslmode', 'sslrootcert', 'service', 'readOnly'] as const;

/** The secret storage key of a connection's password. */
export const passwordKey = (id: string): string => `storageInspector.pg.password.${id}`;

/** The saved connections (settings) and their passwords (SecretStorage). */
export class PgConnections {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a connection was added, changed or removed (here or in the settings). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.subscribe(this.changed, vscode.workspace.onDidChangeConfiguration((e) => {
      if (affects(e, 'pg.connections')) this.changed.fire();
    }));
  }

  list(): PgConnection[] {
    return readSetting('pg.connections').filter((c): c is PgConnection =>
      typeof c === 'object' && c !== null && typeof (c as PgConnection).id === 'string' && typeof (c as PgConnection).name === 'string');
  }

  get(id: string): PgConnection {
    const c = this.list().find((x) => x.id === id);
    if (!c) throw storageError('NotFound', `There is no PostgreSQL connection "${id}". It may have been removed; refresh the SQL view or add it again.`);
    return c;
  }

  /** Adds or replaces a connection by id. A password is stored, `null` deletes the stored one, undefined keeps it. */
  async save(conn: PgConnection, password?: string | null): Promise<void> {
    const clean: PgConnection = { id: conn.id, name: conn.name };
    for (const k of FIELDS) {
      const v = conn[k];
      if (v !== undefined && v !== '' && v !== false) (clean as unknown as Record<string, unknown>)[k] = v;
    }
    if (typeof password === 'string') await this.ctx.secrets.store(passwordKey(conn.id), password);
    else if (password === null) await this.ctx.secrets.delete(passwordKey(conn.id));
    const list = this.list();
    const at = list.findIndex((c) => c.id === conn.id);
    const next = at >= 0 ? list.map((c, i) => (i === at ? clean : c)) : [...list, clean];
    await writeSetting('pg.connections', next, vscode.ConfigurationTarget.Global);
  }

  async remove(id: string): Promise<void> {
    await this.ctx.secrets.delete(passwordKey(id));
    await writeSetting('pg.connections', this.list().filter((c) => c.id !== id), vscode.ConfigurationTarget.Global);
  }

  /** The stored password, if any (PGPASSWORD, ~/.pgpass and a service file are tried after it by the core). */
  password(id: string): Thenable<string | undefined> {
    return this.ctx.secrets.get(passwordKey(id));
  }
}
