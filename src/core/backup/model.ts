/** The JSON documents of a restic repository, with the field names restic writes. */

export interface Config {
  version: number;
  id: string;
  chunker_polynomial: string;
}

export interface IndexFile {
  supersedes?: string[] | null;
  packs: { id: string; blobs: { id: string; type: 'data' | 'tree'; offset: number; length: number; uncompressed_length?: number }[] }[];
}

export interface Snapshot {
  time: string;
  parent?: string;
  tree: string;
  paths: string[];
  hostname?: string;
  username?: string;
  uid?: number;
  gid?: number;
  excludes?: string[];
  tags?: string[];
  original?: string;
  program_version?: string;
}

/** A tree entry; `mode` is Go's fs.FileMode (type bits high, permissions low). */
export interface TreeNode {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'dev' | 'chardev' | 'fifo' | 'socket' | string;
  mode?: number;
  mtime?: string;
  atime?: string;
  ctime?: string;
  uid?: number;
  gid?: number;
  user?: string;
  group?: string;
  inode?: number;
  device_id?: number;
  size?: number;
  links?: number;
  linktarget?: string;
  extended_attributes?: unknown;
  device?: number;
  content?: string[] | null;
  subtree?: string;
}

export interface Tree {
  nodes: TreeNode[];
}

export interface Lock {
  time: string;
  exclusive: boolean;
  hostname: string;
  username: string;
  pid: number;
  uid?: number;
  gid?: number;
}
