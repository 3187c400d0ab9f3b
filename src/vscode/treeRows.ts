import * as vscode from 'vscode';

/** One row of a tree as a user reads it; the one shape every area's `<area>.internal.rows` returns to tests. */
export interface TreeRow<N> {
  node: N;
  label: string;
  description?: string;
  contextValue?: string;
  tooltip?: string;
  children?: TreeRow<N>[];
}

export interface RowSource<N> {
  getChildren(node?: N): N[] | Thenable<N[]> | Promise<N[]>;
  getTreeItem(node: N): vscode.TreeItem;
}

/** The rows of `nodes` as rendered, with their children down to `depth` more levels. */
export async function treeRows<N>(source: RowSource<N>, nodes: readonly N[], depth = 0): Promise<TreeRow<N>[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const item = source.getTreeItem(node);
      const row: TreeRow<N> = { node, label: typeof item.label === 'string' ? item.label : (item.label?.label ?? '') };
      if (typeof item.description === 'string') row.description = item.description;
      if (item.contextValue !== undefined) row.contextValue = item.contextValue;
      const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : item.tooltip;
      if (tooltip !== undefined) row.tooltip = tooltip;
      if (depth > 0) {
        const leaf = item.collapsibleState === undefined || item.collapsibleState === vscode.TreeItemCollapsibleState.None;
        row.children = leaf ? [] : await treeRows(source, await source.getChildren(node), depth - 1);
      }
      return row;
    }),
  );
}
