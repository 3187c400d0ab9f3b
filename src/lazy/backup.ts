// The backup bundle's public surface (dist/backup.js): the restic repository core, loaded on
// first use through src/vscode/lazy.ts so activation never pays for it.
export { Repository, type SnapshotEntry } from '../core/backup/repository';
export { LocalBackend } from '../core/backup/localBackend';
export { S3Backend } from '../core/backup/s3Backend';
export { passwordFromCommand, readPasswordFile } from '../core/backup/location';
export { findNode, walk, type WalkEntry } from '../core/backup/listing';
export { restore, type RestoreProgress } from '../core/backup/restore';
export { backup as runBackup, type BackupProgress, type BackupResult } from '../core/backup/backup';
export { check, type CheckReport, type CheckProblem } from '../core/backup/check';
export { lockRepository } from '../core/backup/lock';
export { atomicWrite } from '../core/local/atomicWrite';
export { sizesAdded } from '../vscode/backup/sizeAdded';
export { initRepository } from '../core/backup/init';
export { diffSnapshots, type DiffResult, type DiffCounts } from '../core/backup/diff';
export { findInSnapshots, type FindHit } from '../core/backup/find';
export { forget } from '../core/backup/forget';
export { prune, type PruneReport } from '../core/backup/prune';
export { planForget, type ForgetPlan, type ForgetPolicy } from '../core/backup/forgetPolicy';
