import * as vscode from 'vscode';
import { messageOf } from '../../core/errors';
import type { PgSession, RelationInfo, TableDetails, TableStats } from '../../lazy/pg';
import { pg, ui } from '../lazy';
import { readSetting } from '../settings';
import type { PgConnections } from './connections';
import { type PgAt, type PgGroup, type PgNode, type PgTableGroup, isPgNode, nodeKey } from './nodes';
import type { PgServices } from './services';

const GROUP_KINDS: Record<PgGroup, RelationInfo['kind'][]> = {
  tables: ['table', 'partitioned', 'partition', 'foreign'],
  views: ['view'],
  matviews: ['matview'],
  sequences: ['sequence'],
};

/**
 * The PostgreSQL part of the SQL view: connections -> databases -> schemas -> groups -> relations
 * -> columns, constraints, indexes, triggers, policies. Each level is a fixed number of catalog
 * queries (the core's), and its children are cached under the node's key until that node is refreshed.
 */
export class PgTree {
  private readonly cache = new Map<string, PgNode[]>();
  private readonly details = new Map<string, TableDetails>();
  private readonly roots = new Map<string, PgNode>();
  private readonly changed = new vscode.EventEmitter<PgNode | undefined>();
  /** A node to redraw, or undefined for the whole PostgreSQL part (the SQL view redraws its root). */
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly services: PgServices, private readonly connections: PgConnections) {}

  private redraw(node: PgNode | undefined): void {
    this.changed.fire(node);
  }

  dispose(): void {
    this.changed.dispose();
  }

  owns(node: object): boolean {
    return isPgNode(node);
  }

  /** The connection nodes (the SQL view's root lists them after the SQLite databases). */
  rootNodes(): PgNode[] {
    const list = this.connections.list();
    const ids = new Set(list.map((c) => c.id));
    for (const id of [...this.roots.keys()]) if (!ids.has(id)) this.roots.delete(id);
    return list.map((c) => {
      let n = this.roots.get(c.id);
      if (!n) this.roots.set(c.id, (n = { kind: 'pgConnection', connectionId: c.id }));
      return n;
    });
  }

  async getChildren(node?: object): Promise<PgNode[]> {
    if (!node) return this.rootNodes();
    if (!isPgNode(node)) return [];
    const key = nodeKey(node);
    const hit = this.cache.get(key);
    if (hit) return hit;
    try {
      const children = await this.children(node);
      this.cache.set(key, children);
      return children;
    } catch (e) {
      // One failing branch is an error row (not cached: expanding again retries); the rest still shows.
      return [{ kind: 'pgError', message: messageOf(e), ...('connectionId' in node && node.connectionId ? { connectionId: node.connectionId } : {}) }];
    }
  }

  getTreeItem(node: object): vscode.TreeItem {
    return ui.pg().renderNode(node as PgNode, { connection: (id) => this.connections.list().find((c) => c.id === id), counters: (id) => this.services.counters(id) });
  }

  /** Drops what is cached below `node` (everything when undefined) and redraws it. */
  refresh(node?: PgNode): void {
    if (!node) {
      this.cache.clear();
      this.details.clear();
    } else {
      const key = nodeKey(node);
      for (const m of [this.cache, this.details] as Map<string, unknown>[]) {
        for (const k of [...m.keys()]) if (k === key || k.startsWith(`${key}/`)) m.delete(k);
      }
      // A partition's details are kept under its own name, not under its parent's path.
      if (node.kind === 'pgRelation') this.details.delete(`${node.connectionId}/${node.database}/${node.info.schema}/${node.info.name}`);
      if (node.kind === 'pgTableGroup') this.details.delete(`${node.connectionId}/${node.database}/${node.schema}/${node.table}`);
    }
    this.redraw(node?.kind === 'pgConnection' ? this.roots.get(node.connectionId) : node);
  }

  /**
   * Re-reads one table's columns, constraints and indexes (after an index was created or dropped)
   * and redraws its row, wherever the tree shows it.
   */
  refreshTable(at: PgAt, schema: string, table: string): void {
    this.details.delete(`${at.connectionId}/${at.database}/${schema}/${table}`);
    const shown = [...this.cache.values()].flat().find((n) => n.kind === 'pgRelation' && n.connectionId === at.connectionId && n.database === at.database
      && n.info.schema === schema && n.info.name === table);
    if (shown) this.refresh(shown);
    else this.redraw(undefined);
  }

  /** Forgets a connection's cached levels (its sessions were closed or its settings changed). */
  forget(connectionId: string): void {
    for (const m of [this.cache, this.details] as Map<string, unknown>[]) {
      for (const k of [...m.keys()]) if (k === connectionId || k.startsWith(`${connectionId}/`)) m.delete(k);
    }
  }

  private async tableDetails(at: { connectionId: string; database: string }, schema: string, table: string): Promise<TableDetails> {
    const key = `${at.connectionId}/${at.database}/${schema}/${table}`;
    let d = this.details.get(key);
    if (!d) {
      d = await pg().tableDetails(await this.services.session(at.connectionId, at.database), schema, table);
      this.details.set(key, d);
    }
    return d;
  }

  private async stats(s: PgSession, schema: string): Promise<Map<string, TableStats>> {
    // A second query for the whole schema; a server that refuses statistics still shows the tree.
    const stats = await pg().tableStats(s, schema).catch(() => []);
    return new Map(stats.map((t) => [t.table, t]));
  }

  private relationNode(at: PgAt, info: RelationInfo, stats: Map<string, TableStats>): PgNode {
    const st = stats.get(info.name);
    return st ? { kind: 'pgRelation', ...at, info, stats: st } : { kind: 'pgRelation', ...at, info };
  }

  /** A schema's relations, top level only (partitions hang under their tables): two queries. */
  private async relations(at: PgAt, schema: string): Promise<PgNode[]> {
    const s = await this.services.session(at.connectionId, at.database);
    const rels = await pg().listRelations(s, schema);
    const stats = await this.stats(s, schema);
    const base = { connectionId: at.connectionId, database: at.database };
    return rels.map((info) => this.relationNode(base, info, stats));
  }

  private async children(node: PgNode): Promise<PgNode[]> {
    const core = pg();
    switch (node.kind) {
      case 'pgConnection': {
        const s = await this.services.session(node.connectionId);
        const dbs = await core.listDatabases(s);
        return dbs.map((info): PgNode => ({ kind: 'pgDatabase', connectionId: node.connectionId, database: info.name, info }));
      }
      case 'pgDatabase': {
        if (!node.info.canConnect || !node.info.allowConnections) return [];
        const s = await this.services.session(node.connectionId, node.database);
        const at = { connectionId: node.connectionId, database: node.database };
        const showSystem = readSetting('pg.showSystemSchemas');
        const schemas = (await core.listSchemas(s)).filter((x) => showSystem || !x.system);
        const extensions = await core.listExtensions(s);
        this.cache.set(`${nodeKey(node)}/~extensions`, extensions.map((info): PgNode => ({ kind: 'pgExtension', ...at, info })));
        return [...schemas.map((info): PgNode => ({ kind: 'pgSchema', ...at, info })), { kind: 'pgExtensions', ...at, count: extensions.length }];
      }
      case 'pgSchema': {
        const rels = await this.relations(node, node.info.name);
        const out: PgNode[] = [];
        for (const group of Object.keys(GROUP_KINDS) as PgGroup[]) {
          const members = rels.filter((r) => r.kind === 'pgRelation' && GROUP_KINDS[group].includes(r.info.kind));
          if (members.length === 0) continue;
          const g: PgNode = { kind: 'pgGroup', connectionId: node.connectionId, database: node.database, schema: node.info.name, group, count: members.length };
          this.cache.set(nodeKey(g), members);
          out.push(g);
        }
        return out;
      }
      case 'pgGroup':
        return (await this.relations(node, node.schema)).filter((r) => r.kind === 'pgRelation' && GROUP_KINDS[node.group].includes(r.info.kind));
      case 'pgExtensions': {
        const s = await this.services.session(node.connectionId, node.database);
        return (await core.listExtensions(s)).map((info): PgNode => ({ kind: 'pgExtension', connectionId: node.connectionId, database: node.database, info }));
      }
      case 'pgRelation': {
        const r = node.info;
        if (r.kind === 'sequence') return [];
        const at = { connectionId: node.connectionId, database: node.database };
        const d = await this.tableDetails(at, r.schema, r.name);
        const counts: Record<PgTableGroup, number> = {
          columns: d.columns.length, constraints: d.constraints.length, indexes: d.indexes.length,
          triggers: d.triggers.length, policies: d.policies.length, partitions: r.partitions?.length ?? 0,
        };
        const groups: PgTableGroup[] = r.kind === 'view' ? ['columns'] : ['columns', 'constraints', 'indexes', 'triggers', 'policies', 'partitions'];
        return groups.filter((g) => g === 'columns' || counts[g] > 0)
          .map((group): PgNode => ({ kind: 'pgTableGroup', ...at, schema: r.schema, table: r.name, group, count: counts[group] }));
      }
      case 'pgTableGroup': {
        const at = { connectionId: node.connectionId, database: node.database };
        if (node.group === 'partitions') {
          const find = (list: RelationInfo[]): RelationInfo | undefined => {
            for (const r of list) {
              if (r.name === node.table) return r;
              const inner = r.partitions && find(r.partitions);
              if (inner) return inner;
            }
            return undefined;
          };
          const s = await this.services.session(node.connectionId, node.database);
          const parent = find(await core.listRelations(s, node.schema));
          const stats = await this.stats(s, node.schema);
          return (parent?.partitions ?? []).map((info) => this.relationNode(at, info, stats));
        }
        const d = await this.tableDetails(at, node.schema, node.table);
        const schema = node.schema;
        switch (node.group) {
          case 'columns': return d.columns.map((info): PgNode => ({ kind: 'pgColumn', ...at, schema, info }));
          case 'constraints': return d.constraints.map((info): PgNode => ({ kind: 'pgConstraint', ...at, schema, info }));
          case 'indexes': return d.indexes.map((info): PgNode => ({ kind: 'pgIndex', ...at, schema, info }));
          case 'triggers': return d.triggers.map((info): PgNode => ({ kind: 'pgTrigger', ...at, schema, info }));
          case 'policies': return d.policies.map((info): PgNode => ({ kind: 'pgPolicy', ...at, schema, info }));
        }
        return [];
      }
      case 'pgIndex':
        return node.info.columns.map((info): PgNode => ({ kind: 'pgIndexColumn', connectionId: node.connectionId, database: node.database, schema: node.schema, index: node.info.name, info }));
      default:
        return [];
    }
  }
}
