// Runs a TypeScript worker entry under tsx (tests only; the extension runs the bundled dist/sql-worker.js).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsEntry, import.meta.url);
