import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { findObjects, keyMatcher } from '../../../src/core/s3';
import { SKIP, client, countRequests, newBucket, putMany } from './helpers';

describe('find objects: the pattern', () => {
  it('a plain pattern is a case-insensitive substring of the key below the prefix', () => {
    const m = keyMatcher('Report');
    assert.ok(m('2026/q1/monthly-report.csv'));
    assert.ok(m('reports/x'));
    assert.ok(!m('2026/q1/summary.csv'));
  });

  it('a glob without a slash matches the file name alone; * and ? stay inside one name', () => {
    const m = keyMatcher('*.json');
    assert.ok(m('a/b/config.json'));
    assert.ok(m('config.JSON'), 'case-insensitive');
    assert.ok(!m('a/config.json.gz'));
    assert.ok(keyMatcher('v?.txt')('deep/v1.txt'));
    assert.ok(!keyMatcher('v?.txt')('deep/v10.txt'));
  });

  it('a glob with a slash matches the whole relative key; ** crosses folders, * does not', () => {
    assert.ok(keyMatcher('logs/*.gz')('logs/a.gz'));
    assert.ok(!keyMatcher('logs/*.gz')('logs/2026/a.gz'));
    assert.ok(keyMatcher('logs/**/*.gz')('logs/2026/01/a.gz'));
    assert.ok(keyMatcher('logs/**/*.gz')('logs/a.gz'), '**/ matches no folder too');
    assert.ok(keyMatcher('**/a.gz')('x/y/a.gz'));
  });

  it('character classes, negated with !, and regex characters taken literally', () => {
    assert.ok(keyMatcher('k[0-2].txt')('k1.txt'));
    assert.ok(!keyMatcher('k[0-2].txt')('k5.txt'));
    assert.ok(keyMatcher('k[!0-2].txt')('k5.txt'));
    assert.ok(!keyMatcher('a.b*')('axb'), 'the dot is a dot');
    assert.ok(keyMatcher('(x)+*')('(x)+y'));
  });

  it('refuses an empty pattern', () => {
    assert.throws(() => keyMatcher(''), { code: 'BadInput' });
  });
});

describe('find objects under a prefix', { skip: SKIP }, () => {
  const c = client({ requestTimeoutMs: 30_000 });
  let bucket = '';
  before(async () => {
    bucket = await newBucket(c, 'find', false);
    const keys = Array.from({ length: 1100 }, (_, i) => `data/d${i % 7}/f${String(i).padStart(4, '0')}.${i % 100 === 0 ? 'json' : 'bin'}`);
    await putMany(c, bucket, [...keys, 'data/placeholder/', 'other/x.json']);
  });

  it('finds by glob through every folder level in one flat, paged listing (2 requests for 1,100 keys)', async () => {
    const counts = countRequests(c);
    const out = await findObjects(c, { bucket, prefix: 'data/', pattern: '*.json' });
    assert.equal(out.matches.length, 11);
    assert.ok(out.matches.every((m) => m.key.startsWith('data/') && m.key.endsWith('.json')));
    assert.equal(out.scanned, 1101);
    assert.equal(out.truncated, false);
    assert.equal(counts.get('ListObjectsV2Command'), 2, 'no listing per folder');
  });

  it('stops at the limit and says so', async () => {
    const out = await findObjects(c, { bucket, prefix: 'data/d1/', pattern: 'f', limit: 5 });
    assert.equal(out.matches.length, 5);
    assert.equal(out.truncated, true);
  });
});
