// The keep rules that "Forget Snapshots..." reads, as restic forget's --keep-* flags.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RULES, parseRules } from '../../../src/vscode/backup/forgetRules';

describe('forget rules', () => {
  it('reads each rule as its restic flag', () => {
    assert.deepEqual(parseRules(DEFAULT_RULES), { keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 });
    assert.deepEqual(parseRules('hourly 24; yearly all, tag keep,important, tag release'), { keepHourly: 24, keepYearly: -1, keepTags: ['keep,important', 'release'] });
    assert.deepEqual(parseRules('Last 1'), { keepLast: 1 });
  });

  it('refuses what is no rule, saying what a rule looks like', () => {
    for (const bad of ['', 'daily', 'daily seven', 'fortnightly 2', 'last -1']) {
      assert.throws(() => parseRules(bad), (e: Error) => /rule/.test(e.message), bad);
    }
  });
});
