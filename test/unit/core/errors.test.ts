import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { cancelled, isCancelled, isStorageError, StorageError, storageError } from '../../../src/core/errors';

describe('StorageError', () => {
  it('is recognised by flag, also when it comes from another bundle', () => {
    const e = storageError('NotFound', 'No such file. Check the path.');
    assert.equal(isStorageError(e), true);
    const foreign = Object.assign(new Error('x'), { isStorageError: true, code: 'Conflict' });
    assert.equal(isStorageError(foreign), true);
    assert.equal(isStorageError(new Error('plain')), false);
    assert.equal(isStorageError(null), false);
  });

  it('keeps the code and the cause', () => {
    const cause = new Error('EACCES');
    const e = new StorageError('NoPermission', 'Cannot read it.', { cause });
    assert.equal(e.code, 'NoPermission');
    assert.equal(e.cause, cause);
    assert.equal(e.name, 'StorageError');
  });

  it('marks a cancel so callers can stay silent', () => {
    assert.equal(isCancelled(cancelled('The upload')), true);
    assert.match(cancelled('The upload').message, /The upload was cancelled/);
    assert.equal(isCancelled(storageError('Conflict', 'x')), false);
  });
});
