// The fault suite's ledger: every test that injects a fault (a reset connection, a full disk,
// another writer, a SIGKILL, a hostile file) records what it did here, and scripts/test.sh
// prints one summary line from it: faults injected, operations, bytes lost.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface FaultRecord {
  /** The area and path under test, e.g. 's3.put', 'local.save', 'sql.save', 'cli.decode'. */
  suite: string;
  /** What was injected, e.g. 'reset-mid-body', 'ENOSPC', 'other-writer', 'SIGKILL'. */
  fault: string;
  /** How many operations ran under this fault. */
  operations: number;
  /** Bytes of the user's data that were lost (the assertion that follows must be that it is 0). */
  bytesLost: number;
}

export function ledgerPath(): string {
  return process.env.SI_FAULT_LEDGER ?? resolve('.test-results/faults.jsonl');
}

/** Appends one record; call it after the test measured the bytes lost, before asserting on it. */
export function recordFault(record: FaultRecord): void {
  const path = ledgerPath();
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, JSON.stringify(record) + '\n');
}
