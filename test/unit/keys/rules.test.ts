import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesGlob, parseRules, recipientsFor, withRule } from '../../../src/core/keys/rules';

describe('recipient rules', () => {
  it('matches globs the usual way', () => {
    assert.ok(matchesGlob('s3://bucket/secrets/a/b.json', 's3://bucket/secrets/**'));
    assert.ok(matchesGlob('s3://bucket/secrets', 's3://bucket/secrets/**'));
    assert.ok(!matchesGlob('s3://bucket/secretsX/a', 's3://bucket/secrets/**'));
    assert.ok(matchesGlob('/home/me/v/x.age', '/home/me/v/*.age'));
    assert.ok(!matchesGlob('/home/me/v/sub/x.age', '/home/me/v/*.age'));
    assert.ok(matchesGlob('/home/me/v/sub/x.age', '/home/me/**/*.age'));
    assert.ok(matchesGlob('/home/me/x.age', '/home/me/**/*.age'));
    assert.ok(matchesGlob('s3://b/a.json.gz', 's3://b/a.{json,yaml}.gz'));
    assert.ok(!matchesGlob('s3://b/a.toml.gz', 's3://b/a.{json,yaml}.gz'));
    assert.ok(matchesGlob('s3://b/a+b(1).txt', 's3://b/a+b(1).tx?'));
  });
  it('collects recipients of every matching rule once', () => {
    const rules = [
      { glob: 's3://b/**', recipients: ['age1a', 'age1b'] },
      { glob: 's3://b/secret/*', recipients: ['age1b', 'age1c'] },
      { glob: 's3://other/**', recipients: ['age1d'] },
    ];
    assert.deepEqual(recipientsFor(rules, 's3://b/secret/x'), ['age1a', 'age1b', 'age1c']);
    assert.deepEqual(recipientsFor(rules, 's3://c/x'), []);
  });
  it('keeps only well-formed rules, and replaces or removes by glob', () => {
    assert.deepEqual(parseRules([{ glob: 'x', recipients: ['r'] }, { glob: 1 }, null, { glob: 'y', recipients: [2] }]), [{ glob: 'x', recipients: ['r'] }]);
    assert.deepEqual(parseRules('nope'), []);
    const rules = withRule([{ glob: 'x', recipients: ['r'] }], 'x', ['s']);
    assert.deepEqual(rules, [{ glob: 'x', recipients: ['s'] }]);
    assert.deepEqual(withRule(rules, 'x', []), []);
  });
});
