import type { Databases } from './databases';
import type { Queries } from './queries';
import type { SqlTree } from '../views/sqlTree';

/** The SQL area's long-lived services, created by register() and used by the commands. */
export interface SqlServices {
  dbs: Databases;
  tree: SqlTree;
  queries: Queries;
}

let current: SqlServices | undefined;

export function setSqlServices(s: SqlServices | undefined): void {
  current = s;
}

export function sqlServices(): SqlServices {
  if (!current) throw new Error('The SQL view is not ready yet.');
  return current;
}
