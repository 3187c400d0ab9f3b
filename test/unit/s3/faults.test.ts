// The S3 fault suite: every read and write of the core S3 layer runs through the fault proxy
// under each fault that can hit it. Each run must end in success or a clear StorageError, and
// afterwards the stored objects and the local files are checked: bytes lost must be 0.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { isStorageError } from '../../../src/core/errors';
import {
  copyObject, deleteObject, downloadObject, getObjectBytes, headObject, listKeyVersions, listPage, MIN_PART_SIZE, putObject, restoreVersion, undelete, uploadObject,
} from '../../../src/core/s3';
import { recordFault } from '../../support/faultLedger';
import { op, startFaultProxy, type FaultKind, type FaultProxy, type RequestInfo } from '../../support/faultProxy';
import { SKIP, aws, client, endpoint, newBucket, tempDir } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Outcome {
  ok: boolean;
  value?: unknown;
  error?: unknown;
}

interface Case {
  suite: string;
  match: (r: RequestInfo) => boolean;
  faults: FaultKind[];
  /** Runs the operation through the proxy; `n` makes names unique per run. */
  run: (c: S3Client, n: string) => Promise<unknown>;
  /** Checks the stored objects and local files; returns the bytes of user data lost. */
  lost: (n: string, o: Outcome) => Promise<number>;
  prepare?: (n: string) => Promise<void>;
}

describe('S3 fault suite: every read and write through the fault proxy', { skip: SKIP }, () => {
  const direct = client();
  const dir = tempDir('faults');
  const fixture = randomBytes(256 * 1024);
  const big = randomBytes(MIN_PART_SIZE + 4096);
  let proxy: FaultProxy;
  let bucket = '';
  const etags = new Map<string, string>();

  const storedBytes = async (key: string, versionId?: string): Promise<Buffer | undefined> => {
    try {
      return Buffer.from((await getObjectBytes(direct, { bucket, key, versionId }, { maxBytes: 64 * 1024 * 1024 })).bytes);
    } catch (e) {
      if (isStorageError(e) && e.code === 'NotFound') return undefined;
      throw e;
    }
  };
  /** The fixture object every read reads: any change to it is data lost. */
  const fixtureLost = async () => ((await storedBytes('fixture.bin'))?.equals(fixture) ? 0 : fixture.length);

  before(async () => {
    bucket = await newBucket(direct, 'faults');
    proxy = await startFaultProxy(endpoint!);
    await putObject(direct, { bucket, key: 'fixture.bin', body: fixture, expect: { any: true } });
  });
  after(() => proxy.close());

  const cases: Case[] = [
    {
      suite: 's3.list', match: op.list, faults: ['reset-response', 'slow-down', 'stall', 'drop-response'],
      run: (c) => listPage(c, { bucket, prefix: 'fixture' }),
      lost: async (_n, o) => (o.ok ? ((o.value as { objects: { key: string }[] }).objects.map((x) => x.key).join() === 'fixture.bin' ? 0 : 1) : 0) + (await fixtureLost()),
    },
    {
      suite: 's3.list-versions', match: op.list, faults: ['reset-response', 'slow-down', 'stall', 'drop-response'],
      run: (c) => listKeyVersions(c, bucket, 'fixture.bin'),
      lost: async (_n, o) => (o.ok && (o.value as { versions: unknown[] }).versions.length !== 1 ? 1 : 0) + (await fixtureLost()),
    },
    {
      suite: 's3.head', match: op.head, faults: ['slow-down', 'stall', 'drop-response'],
      run: (c) => headObject(c, { bucket, key: 'fixture.bin' }),
      lost: async (_n, o) => (o.ok && (o.value as { size: number }).size !== fixture.length ? fixture.length : 0) + (await fixtureLost()),
    },
    {
      suite: 's3.get', match: op.get, faults: ['reset-response', 'slow-down', 'stall', 'drop-response', 'corrupt-body'],
      run: (c) => getObjectBytes(c, { bucket, key: 'fixture.bin' }, { maxBytes: 1024 * 1024 }),
      // What we show must be what is stored: wrong bytes handed over count as lost.
      lost: async (_n, o) => (o.ok && !Buffer.from((o.value as { bytes: Uint8Array }).bytes).equals(fixture) ? fixture.length : 0) + (await fixtureLost()),
    },
    {
      suite: 's3.put', match: op.put, faults: ['reset-request', 'slow-down', 'stall', 'drop-response'],
      prepare: async (n) => {
        const v1 = await putObject(direct, { bucket, key: `put-${n}`, body: 'version one', expect: { absent: true } });
        etags.set(n, v1.etag!);
      },
      run: (c, n) => putObject(c, { bucket, key: `put-${n}`, body: `version two ${n}`, expect: { etag: etags.get(n)! } }),
      lost: async (n, o) => {
        // The aws CLI is the oracle for what is stored.
        const file = path.join(dir, `put-${n}.back`);
        await aws('s3', 'cp', `s3://${bucket}/put-${n}`, file);
        const text = await readFile(file, 'utf8');
        if (o.ok) return text === `version two ${n}` ? 0 : `version two ${n}`.length;
        assert.ok(!(text === `version two ${n}` && isStorageError(o.error) && o.error.code === 'Conflict'), 'our own stored write was reported as a conflict');
        return text === 'version one' || text === `version two ${n}` ? 0 : 'version one'.length;
      },
    },
    {
      suite: 's3.multipart', match: (r) => op.uploadPart(r) || op.completeUpload(r), faults: ['reset-request', 'slow-down', 'stall', 'drop-response'],
      run: (c, n) => uploadObject(c, { bucket, key: `mpu-${n}`, body: big, partSize: MIN_PART_SIZE, queueSize: 1 }),
      lost: async (n, o) => {
        const stored = await storedBytes(`mpu-${n}`);
        const uploads = await direct.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
        assert.equal(uploads.Uploads?.length ?? 0, 0, 'no multipart upload left open');
        if (o.ok) return stored && sha(stored) === sha(big) ? 0 : big.length;
        return stored === undefined || sha(stored) === sha(big) ? 0 : big.length;
      },
    },
    {
      // The answer to CompleteMultipartUpload lost: the retry must find the object, not fail.
      suite: 's3.multipart-complete', match: op.completeUpload, faults: ['slow-down', 'stall', 'drop-response'],
      run: (c, n) => uploadObject(c, { bucket, key: `mpc-${n}`, body: big, partSize: MIN_PART_SIZE, queueSize: 1 }),
      lost: async (n, o) => {
        const stored = await storedBytes(`mpc-${n}`);
        if (o.ok) return stored && sha(stored) === sha(big) ? 0 : big.length;
        return stored === undefined || sha(stored) === sha(big) ? 0 : big.length;
      },
    },
    {
      suite: 's3.copy', match: op.copy, faults: ['slow-down', 'stall', 'drop-response'],
      run: (c, n) => copyObject(c, { bucket, key: 'fixture.bin' }, { bucket, key: `copy-${n}` }),
      lost: async (n, o) => {
        const copy = await storedBytes(`copy-${n}`);
        return (o.ok && !copy?.equals(fixture) ? fixture.length : 0) + (await fixtureLost());
      },
    },
    {
      suite: 's3.delete', match: op.delete, faults: ['slow-down', 'stall', 'drop-response'],
      prepare: async (n) => {
        const a = await putObject(direct, { bucket, key: `del-${n}`, body: 'old version', expect: { absent: true } });
        await putObject(direct, { bucket, key: `del-${n}`, body: 'new version', expect: { etag: a.etag! } });
      },
      run: (c, n) => deleteObject(c, { bucket, key: `del-${n}` }),
      lost: async (n) => {
        // A delete without a version id only hides the object: every version must still be there.
        const kv = await listKeyVersions(direct, bucket, `del-${n}`);
        const texts = await Promise.all(kv.versions.filter((v) => !v.isDeleteMarker).map(async (v) => (await storedBytes(`del-${n}`, v.versionId))?.toString()));
        return (texts.includes('old version') ? 0 : 11) + (texts.includes('new version') ? 0 : 11);
      },
    },
    {
      suite: 's3.restore', match: op.copy, faults: ['slow-down', 'stall', 'drop-response'],
      prepare: async (n) => {
        const a = await putObject(direct, { bucket, key: `res-${n}`, body: 'wanted version', expect: { absent: true } });
        etags.set(n, a.versionId!);
        await putObject(direct, { bucket, key: `res-${n}`, body: 'later version', expect: { any: true } });
      },
      run: (c, n) => restoreVersion(c, { bucket, key: `res-${n}`, versionId: etags.get(n)! }),
      lost: async (n, o) => {
        const kv = await listKeyVersions(direct, bucket, `res-${n}`);
        const texts = await Promise.all(kv.versions.map(async (v) => (await storedBytes(`res-${n}`, v.versionId))?.toString()));
        const latestOk = !o.ok || texts[0] === 'wanted version';
        return (texts.includes('later version') ? 0 : 13) + (texts.includes('wanted version') ? 0 : 14) + (latestOk ? 0 : 14);
      },
    },
    {
      suite: 's3.undelete', match: op.delete, faults: ['slow-down', 'stall', 'drop-response'],
      prepare: async (n) => {
        await putObject(direct, { bucket, key: `und-${n}`, body: 'bring me back', expect: { absent: true } });
        etags.set(n, (await deleteObject(direct, { bucket, key: `und-${n}` })).versionId!);
      },
      run: (c, n) => undelete(c, { bucket, key: `und-${n}`, versionId: etags.get(n)! }),
      lost: async (n, o) => {
        const kv = await listKeyVersions(direct, bucket, `und-${n}`);
        const real = kv.versions.filter((v) => !v.isDeleteMarker);
        const text = real[0] ? (await storedBytes(`und-${n}`, real[0].versionId))?.toString() : undefined;
        if (o.ok) assert.equal(kv.deleted, false, 'undeleted');
        return text === 'bring me back' ? 0 : 13;
      },
    },
    {
      suite: 's3.download', match: op.get, faults: ['reset-response', 'slow-down', 'stall', 'drop-response', 'corrupt-body'],
      prepare: async (n) => {
        await mkdir(path.join(dir, `dl-${n}`), { recursive: true });
        await writeFile(path.join(dir, `dl-${n}`, 'fixture.bin'), 'the old local file');
      },
      run: (c, n) => downloadObject(c, { bucket, key: 'fixture.bin', folder: path.join(dir, `dl-${n}`), overwrite: true }),
      lost: async (n, o) => {
        const folder = path.join(dir, `dl-${n}`);
        assert.deepEqual(await readdir(folder), ['fixture.bin'], 'no temp file left');
        const local = await readFile(path.join(folder, 'fixture.bin'));
        const localLost = o.ok ? (local.equals(fixture) ? 0 : fixture.length) : local.toString() === 'the old local file' ? 0 : 18;
        return localLost + (await fixtureLost());
      },
    },
  ];

  for (const k of cases) {
    for (const fault of k.faults) {
      it(`${k.suite} under ${fault}`, async () => {
        const n = `${fault}-${randomBytes(3).toString('hex')}`;
        await k.prepare?.(n);
        // Fresh client per run: the SDK's retry quota is per client. 700 ms outlasts no real answer here.
        const c = client({ endpoint: proxy.url, maxAttempts: 3, requestTimeoutMs: 700 });
        const before = proxy.injected[fault];
        proxy.inject({ fault, match: k.match });
        const outcome: Outcome = await k.run(c, n).then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, error }));
        proxy.clear();
        assert.equal(proxy.injected[fault], before + 1, 'the fault was really injected');
        const bytesLost = await k.lost(n, outcome);
        recordFault({ suite: k.suite, fault, operations: 1, bytesLost });
        if (!outcome.ok) {
          // A failure is allowed only as a clear message: a StorageError, never "Unknown".
          assert.ok(isStorageError(outcome.error), `not a StorageError: ${String(outcome.error)}`);
          assert.doesNotMatch(outcome.error.message, /\bUnknown\b|unknown error/);
        }
        assert.equal(bytesLost, 0);
      });
    }
  }
});
