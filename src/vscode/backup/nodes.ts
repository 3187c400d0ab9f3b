/** Tree elements are plain data; getTreeItem renders them and commands receive them. */
export type BackupNode =
  | { kind: 'backupRepo'; repoId: string }
  | {
      kind: 'backupSnapshot';
      repoId: string;
      snapshotId: string;
      time: string;
      tree: string;
      paths: string[];
      hostname?: string;
      username?: string;
      tags?: string[];
      parent?: string;
    }
  | {
      kind: 'backupEntry';
      repoId: string;
      snapshotId: string;
      /** The snapshot's time, for labels. */
      time: string;
      /** `/dir/name` from the snapshot's root: the path it was backed up from. */
      path: string;
      /** The row's label when it is not the last path segment (a snapshot's top folder shows its whole path). */
      label?: string;
      type: string;
      subtree?: string;
      size?: number;
      mtime?: string;
      mode?: number;
      linktarget?: string;
    }
  | { kind: 'backupError'; parentId: string; message: string }
  /** "Load more...": the rows under `parentId` past the first `shown` of `total`. */
  | { kind: 'backupMore'; parentId: string; shown: number; total: number };

export type SnapshotNode = Extract<BackupNode, { kind: 'backupSnapshot' }>;
export type EntryNode = Extract<BackupNode, { kind: 'backupEntry' }>;
export type MoreNode = Extract<BackupNode, { kind: 'backupMore' }>;

/** A stable id: the tree keeps expansion state by it, and listings are cached under it. */
export function nodeId(n: BackupNode): string {
  switch (n.kind) {
    case 'backupRepo':
      return `r:${n.repoId}`;
    case 'backupSnapshot':
      return `s:${n.repoId}/${n.snapshotId}`;
    case 'backupEntry':
      return `e:${n.repoId}/${n.snapshotId}${n.path}`;
    case 'backupError':
      return `err:${n.parentId}`;
    case 'backupMore':
      return `more:${n.parentId}`;
  }
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || '/';
}
