// Guards the shape of package.json's contributions against the code: menus name declared
// commands, `viewItem` clauses name context values the trees really set, tree-only commands
// stay out of the palette, and every setting the code reads is declared with a default.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { allContextValues, BUCKET_VERSIONING, ContextSuffix, ContextValue } from '../../../src/vscode/contextValues';

const ROOT = join(__dirname, '../../..');

interface MenuItem {
  command?: string;
  submenu?: string;
  when?: string;
}
interface Manifest {
  contributes: {
    commands: { command: string; category?: string }[];
    menus: Record<string, MenuItem[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { contents: string }[];
    configuration: { properties: Record<string, { default?: unknown }> };
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const { commands, menus } = manifest.contributes;
const declared = new Set(commands.map((c) => c.command));
const menuItems = Object.entries(menus).flatMap(([menu, items]) => items.map((item) => ({ menu, ...item })));

/** The `viewItem` comparisons of a when clause: `viewItem == x` and `viewItem =~ /re/`. */
export function viewItemClauses(when: string): { op: '==' | '!=' | '=~'; value: string }[] {
  return [...when.matchAll(/viewItem\s*(==|!=|=~)\s*(\/(?:\\.|[^/])*\/|[\w.-]+)/g)].map((m) => ({ op: m[1] as '==' | '!=' | '=~', value: m[2]! }));
}

/**
 * Item-menu commands that also work from the palette, because without a node they fall back to
 * the Local view's selection or the active editor (local), a connection pick or the S3 target rule
 * (s3: the active storage-s3 tab, the visible view's selection, a picker; src/vscode/s3/targets.ts),
 * the active query editor's database (sql), or a repository pick (backup). Every other item-menu
 * command needs the row it was run on.
 */
const PALETTE_TOO = new Set(
  [
    'local.computeChecksum', 'local.writeManifest', 'local.verifyManifest', 'local.encrypt', 'local.decrypt', 'local.compress', 'local.decompress',
    's3.testConnection', 's3.editConnection', 's3.removeConnection',
    'pg.testConnection', 'pg.editConnection', 'pg.removeConnection',
    's3.copyObject', 's3.rename', 's3.delete', 's3.deleteVersion', 's3.undelete',
    'sql.newQuery', 'sql.saveDatabase', 'sql.discardChanges', 'sql.closeDatabase',
    'backup.verify', 'backup.forget', 'backup.findInSnapshots',
  ].map((id) => `storageInspector.${id}`),
);

describe('package.json menus', () => {
  it('name only declared commands', () => {
    const undeclared = menuItems.filter((i) => i.command !== undefined && !declared.has(i.command)).map((i) => `${i.menu}: ${i.command}`);
    assert.deepEqual(undeclared, []);
  });

  it('match viewItem only against context values the trees set (src/vscode/contextValues.ts)', () => {
    const values = allContextValues();
    const words = new Set<string>([...Object.values(ContextValue), ...Object.values(ContextSuffix), ...BUCKET_VERSIONING]);
    const problems: string[] = [];
    for (const item of menuItems) {
      for (const { op, value } of viewItemClauses(item.when ?? '')) {
        if (op !== '=~') {
          if (!values.includes(value)) problems.push(`${item.command}: viewItem ${op} ${value} is no context value`);
          continue;
        }
        const re = new RegExp(value.slice(1, -1));
        if (!values.some((v) => re.test(v))) problems.push(`${item.command}: ${value} matches no context value`);
        // Each name in the pattern is a value or a suffix, so a renamed value cannot hide in a regex.
        for (const word of value.slice(1, -1).replace(/\\./g, '.').match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
          const isName = [...words].some((w) => w === word || w.startsWith(word) || w.split('.').includes(word));
          if (!isName) problems.push(`${item.command}: "${word}" in ${value} is no context value or suffix`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  it('hide tree-only commands from the command palette', () => {
    const elsewhere = new Set([
      ...menuItems.filter((i) => i.menu !== 'view/item/context' && i.menu !== 'commandPalette').map((i) => i.command),
      ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
      ...(manifest.contributes.viewsWelcome ?? []).flatMap((w) => [...w.contents.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1])),
    ]);
    const treeOnly = new Set(menuItems.filter((i) => i.menu === 'view/item/context' && i.command && !elsewhere.has(i.command) && !PALETTE_TOO.has(i.command)).map((i) => i.command!));
    const hidden = new Set((menus.commandPalette ?? []).filter((i) => i.when === 'false').map((i) => i.command));
    // Commands only reachable from a row's own click (open, load more, retry) count as tree-only too.
    for (const id of ['storageInspector.local.open', 'storageInspector.local.loadMore', 'storageInspector.s3.openObject', 'storageInspector.s3.loadMore', 'storageInspector.s3.retry']) treeOnly.add(id);
    assert.deepEqual([...treeOnly].filter((id) => !hidden.has(id)), []);
    assert.deepEqual([...PALETTE_TOO].filter((id) => hidden.has(id) || !declared.has(id)), [], 'the palette-too commands are declared and shown');
  });
});

describe('package.json settings', () => {
  const properties = manifest.contributes.configuration.properties;
  const source = readFileSync(join(ROOT, 'src/vscode/settings.ts'), 'utf8');
  const body = /interface SettingTypes \{([^}]*)\}/.exec(source)?.[1] ?? '';
  const read = [...body.matchAll(/'([\w.]+)':/g)].map((m) => m[1]!);

  it('declare, with a default, every setting the code reads (src/vscode/settings.ts)', () => {
    assert.ok(read.length > 10, 'SettingTypes lists the settings');
    assert.deepEqual(read.filter((k) => properties[`storageInspector.${k}`]?.default === undefined), []);
  });

  it('declare no setting the code never reads', () => {
    assert.deepEqual(Object.keys(properties).map((k) => k.replace(/^storageInspector\./, '')).filter((k) => !read.includes(k)), []);
  });
});
