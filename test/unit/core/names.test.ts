import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { innerName, layersFromName } from '../../../src/core/names';

describe('names of layered files', () => {
  it('peels the codec suffixes to the inner name', () => {
    assert.equal(innerName('config.json.gz.age'), 'config.json');
    assert.equal(innerName('LOG.TXT.GZ'), 'LOG.TXT');
    assert.equal(innerName('notes.md'), 'notes.md');
    assert.equal(innerName('.gz'), '.gz');
    assert.equal(innerName('dir/.age'), 'dir/.age');
  });

  it('lists the layers a name implies, outermost first', () => {
    assert.deepEqual(layersFromName('config.json.gz.age'), [{ kind: 'age' }, { kind: 'gzip' }]);
    assert.deepEqual(layersFromName('db.sqlite.AGE'), [{ kind: 'age' }]);
    assert.deepEqual(layersFromName('a.gz'), [{ kind: 'gzip' }]);
    assert.deepEqual(layersFromName('plain.json'), []);
    assert.deepEqual(layersFromName('.age'), []);
  });
});
