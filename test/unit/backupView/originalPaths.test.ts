// Where "Restore" of a whole snapshot puts each of its paths: back into the folder it came from,
// never by way of the folders above it.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originalPaths } from '../../../src/vscode/backup/originalPaths';

describe('original places of a snapshot', () => {
  it('restores each path into its own parent folder', () => {
    assert.deepEqual(originalPaths(['/tmp/x/y/root']), [{ path: '/tmp/x/y/root', target: '/tmp/x/y' }]);
    assert.deepEqual(originalPaths(['/srv/www', '/etc/nginx/']), [{ path: '/etc/nginx', target: '/etc' }, { path: '/srv/www', target: '/srv' }]);
  });

  it('restores a path inside another one with it, once', () => {
    assert.deepEqual(originalPaths(['/home/me', '/home/me/project', '/home/me']), [{ path: '/home/me', target: '/home' }]);
    assert.deepEqual(originalPaths(['/home/me', '/home/meta']), [{ path: '/home/me', target: '/home' }, { path: '/home/meta', target: '/home' }]);
    assert.deepEqual(originalPaths(['/', '/etc']), [{ path: '/', target: '/' }]);
  });

  it('refuses a path with no place on this machine', () => {
    assert.throws(() => originalPaths(['C:\\Users\\me']), /not absolute.*Restore To/);
  });
});
