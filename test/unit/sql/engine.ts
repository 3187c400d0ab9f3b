import { readFileSync } from 'node:fs';
import { Engine } from '../../../src/core/sql/engine';
import { loadSqlJs } from '../../../src/core/sql/loader';
import type { Op, Ops } from '../../../src/core/sql/protocol';
import { WASM } from './support';

/** The worker's engine, in-process: fast tests of everything but the thread boundary. */
export async function engineFor(path: string): Promise<{ e: Engine; call: <K extends Op>(op: K, args: Ops[K]['args']) => Ops[K]['result'] }> {
  const e = new Engine(await loadSqlJs(WASM));
  const call = <K extends Op>(op: K, args: Ops[K]['args']): Ops[K]['result'] => (e.handlers[op] as (a: unknown) => Ops[K]['result'])(args);
  call('open', { bytes: new Uint8Array(readFileSync(path)), name: path.split('/').pop() ?? path });
  return { e, call };
}
