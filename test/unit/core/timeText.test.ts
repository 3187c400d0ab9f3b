import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { localDateTime, relativeTime, shortVersionId } from '../../../src/core/timeText';

describe('timeText', () => {
  const now = new Date(2026, 11, 1, 14, 3, 30);
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('reads a past time relative to now, in the largest whole unit', () => {
    assert.equal(relativeTime(ago(0), now), 'just now');
    assert.equal(relativeTime(ago(59), now), 'just now');
    assert.equal(relativeTime(ago(60), now), '1 minute ago');
    assert.equal(relativeTime(ago(2 * 3600 + 59), now), '2 hours ago');
    assert.equal(relativeTime(ago(2 * 3600 + 40 * 60), now), '2 hours ago', 'whole hours, not rounded up');
    assert.equal(relativeTime(ago(24 * 3600), now), 'yesterday');
    assert.equal(relativeTime(ago(3 * 24 * 3600), now), '3 days ago');
    assert.equal(relativeTime(ago(400 * 24 * 3600), now), 'last year');
  });

  it('writes local date and minute (seconds on request), zero-padded', () => {
    assert.equal(localDateTime(new Date(2026, 0, 2, 3, 4, 5)), '2026-01-02 03:04');
    assert.equal(localDateTime(new Date(2026, 0, 2, 3, 4, 5), true), '2026-01-02 03:04:05');
  });

  it('shortens a version id to 8 characters', () => {
    assert.equal(shortVersionId('3c268f51-8e0c-4a2c-b0f6-2c0ad3a8d1b1'), '3c268f51');
    assert.equal(shortVersionId('null'), 'null');
  });
});
