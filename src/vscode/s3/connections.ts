import * as vscode from 'vscode';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3ConnectionOptions, S3Credentials } from '../../core/s3/types';
import { storageError } from '../../core/errors';
import type { Ctx } from '../ctx';
import { affects, readSetting, writeSetting } from '../settings';
import { s3 } from '../lazy';

/** One entry of `storageInspector.s3.connections`; nothing secret lives here. */
export interface S3Connection {
  id: string;
  name: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** An AWS profile from the shared config files; when absent, stored keys or the default chain. */
  profile?: string;
}

export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
}

const secretName = (id: string) => `storageInspector.s3.keys.${id}`;

/** Connections from the settings, the stored access keys, and one client per connection. */
export class S3Connections {
  private readonly clients = new Map<string, S3Client>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    ctx.subscribe(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affects(e, 's3.connections')) this.reset();
      }),
    );
  }

  list(): S3Connection[] {
    return readSetting('s3.connections').filter((c): c is S3Connection => typeof c === 'object' && c !== null && typeof (c as S3Connection).id === 'string');
  }

  get(id: string): S3Connection {
    const c = this.list().find((x) => x.id === id);
    if (!c) throw storageError('NotFound', `There is no S3 connection "${id}". It may have been removed; refresh the S3 view or add it again.`);
    return c;
  }

  /** Adds or replaces a connection (by id); keys go to SecretStorage, undefined keeps the stored ones. */
  async save(conn: S3Connection, keys?: AccessKeys | null): Promise<void> {
    const others = this.list().filter((c) => c.id !== conn.id);
    const clean: S3Connection = { id: conn.id, name: conn.name };
    if (conn.endpoint) clean.endpoint = conn.endpoint;
    if (conn.region) clean.region = conn.region;
    if (conn.forcePathStyle !== undefined) clean.forcePathStyle = conn.forcePathStyle;
    if (conn.profile) clean.profile = conn.profile;
    if (keys) await this.ctx.secrets.store(secretName(conn.id), JSON.stringify(keys));
    else if (keys === null) await this.ctx.secrets.delete(secretName(conn.id));
    await writeSetting('s3.connections', [...others, clean], vscode.ConfigurationTarget.Global);
    this.reset();
  }

  async remove(id: string): Promise<void> {
    await this.ctx.secrets.delete(secretName(id));
    await writeSetting('s3.connections', this.list().filter((c) => c.id !== id), vscode.ConfigurationTarget.Global);
    this.reset();
  }

  /** The stored access key id (not secret; shown when editing), if keys are stored. */
  async storedKeyId(id: string): Promise<string | undefined> {
    const stored = await this.ctx.secrets.get(secretName(id));
    return stored ? (JSON.parse(stored) as AccessKeys).accessKeyId : undefined;
  }

  /** The stored pair with a new key id and the stored secret (an edit that kept the secret). */
  async keysWithId(id: string, accessKeyId: string): Promise<AccessKeys | undefined> {
    const stored = await this.ctx.secrets.get(secretName(id));
    return stored ? { accessKeyId, secretAccessKey: (JSON.parse(stored) as AccessKeys).secretAccessKey } : undefined;
  }

  async hasKeys(id: string): Promise<boolean> {
    return (await this.ctx.secrets.get(secretName(id))) !== undefined;
  }

  async credentials(conn: S3Connection): Promise<S3Credentials> {
    if (conn.profile) return { kind: 'profile', profile: conn.profile };
    const stored = await this.ctx.secrets.get(secretName(conn.id));
    if (stored) {
      const k = JSON.parse(stored) as AccessKeys;
      return { kind: 'keys', accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
    }
    return { kind: 'default' };
  }

  async options(conn: S3Connection): Promise<S3ConnectionOptions> {
    return { endpoint: conn.endpoint, region: conn.region, forcePathStyle: conn.forcePathStyle, credentials: await this.credentials(conn) };
  }

  /** The client of a connection, created on first use (this loads the AWS SDK bundle). */
  async client(id: string): Promise<S3Client> {
    let c = this.clients.get(id);
    if (!c) {
      c = s3().createS3Client(await this.options(this.get(id)));
      this.clients.set(id, c);
    }
    return c;
  }

  private reset(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
    this.changed.fire();
  }
}
