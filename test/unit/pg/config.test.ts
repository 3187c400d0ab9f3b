import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { describeConnection, resolveConnection, type Environment } from '../../../src/core/pg/config';
import { pgpassLookup, serviceLookup } from '../../../src/core/pg/passfile';
import { parsePgUri, redactUri } from '../../../src/core/pg/uri';
import { tlsOptions } from '../../../src/core/pg/tls';
import { afterPredicate } from '../../../src/core/pg/keyset';
import { createIndexSql } from '../../../src/core/pg/indexBuild';
import { changesData } from '../../../src/core/pg/plan';

const fakeEnv = (vars: Record<string, string>, files: Record<string, string> = {}, loose: string[] = []): Environment => ({
  env: vars, home: '/home/u', readFile: (p) => files[p], looseMode: (p) => (p in files ? loose.includes(p) : undefined) });

describe('PostgreSQL connection settings, as libpq reads them', () => {
  it('parses postgres:// URIs with percent-encoding and query parameters, and redacts the password', () => {
    const p = parsePgUri('postgresql://al%40ice:p%3Ass@db.example.com:6543/my%20db?sslmode=verify-full&sslrootcert=/ca.pem&application_name=x');
    assert.deepEqual(p, { host: 'db.example.com', port: 6543, user: 'al@ice', password: 'p:ss', database: 'my db', sslmode: 'verify-full', sslrootcert: '/ca.pem', applicationName: 'x' });
    assert.equal(redactUri('postgres://bob:secret@h/db'), 'postgres://bob@h/db');
    assert.deepEqual(parsePgUri('postgres://[::1]:5433/d'), { host: '::1', port: 5433, database: 'd' });
    assert.throws(() => parsePgUri('mysql://x'), (e) => isStorageError(e) && e.code === 'BadInput');
    assert.throws(() => parsePgUri('postgres://h/d?bogus=1'), /"bogus" is not supported/);
  });

  it('reads ~/.pgpass: first match wins, * matches, \\: escapes, sockets match localhost', () => {
    const text = '# comment\ndb.example.com:5432:shop:alice:first\n*:*:*:alice:p\\:w\\\\d\nlocalhost:5432:*:bob:sock';
    assert.equal(pgpassLookup(text, 'db.example.com', 5432, 'shop', 'alice'), 'first');
    assert.equal(pgpassLookup(text, 'other', 1, 'x', 'alice'), 'p:w\\d');
    assert.equal(pgpassLookup(text, '/var/run/postgresql', 5432, 'x', 'bob'), 'sock');
    assert.equal(pgpassLookup(text, 'other', 1, 'x', 'carol'), undefined);
  });

  it('reads a pg_service.conf section', () => {
    const text = '[a]\nhost=h1\n[shop]\nhost = db.internal\nport=6000\ndbname=shop\nuser=app\nsslmode=require\ngssencmode=disable\n';
    assert.deepEqual(serviceLookup(text, 'shop', 'f'), { host: 'db.internal', port: 6000, database: 'shop', user: 'app', sslmode: 'require' });
    assert.equal(serviceLookup(text, 'none', 'f'), undefined);
    assert.throws(() => serviceLookup('[s]\nbroken\n', 's', '/x/pg_service.conf'), /pg_service.conf line 2 is not "key=value"/);
  });

  it('resolves explicit values, then the service, then PG* variables, then defaults; the password from secret storage first', () => {
    const files = { '/home/u/.pg_service.conf': '[svc]\nhost=svc-host\nport=7000\ndbname=svcdb\n', '/home/u/.pgpass': 'svc-host:7000:svcdb:envuser:from-pgpass\n' };
    const e = fakeEnv({ PGUSER: 'envuser', PGHOST: 'env-host', PGSERVICE: 'svc', PGSSLMODE: 'require' }, files);
    const r = resolveConnection({ params: { database: 'explicit' } }, e);
    assert.equal(r.conn.host, 'svc-host');
    assert.equal(r.conn.port, 7000);
    assert.equal(r.conn.database, 'explicit');
    assert.equal(r.conn.user, 'envuser');
    assert.equal(r.conn.sslmode, 'require');
    assert.equal(r.password, undefined, 'pgpass line is for svcdb, not explicit');
    const r2 = resolveConnection({}, e);
    assert.equal(r2.password, 'from-pgpass');
    assert.equal(r2.conn.passwordSource, 'pgpass');
    const r3 = resolveConnection({ password: 'from-secret-storage' }, fakeEnv({ PGPASSWORD: 'env-pw' }));
    assert.equal(r3.password, 'from-secret-storage');
    assert.equal(resolveConnection({}, fakeEnv({ PGPASSWORD: 'env-pw' })).conn.passwordSource, 'PGPASSWORD');
    assert.doesNotMatch(describeConnection(r3.conn), /from-secret-storage/);
    assert.throws(() => resolveConnection({ params: { service: 'nope' } }, e), (x) => isStorageError(x) && x.code === 'NotFound' && /No service "nope"/.test(x.message));
  });

  it('ignores a ~/.pgpass readable by others, and says so', () => {
    const r = resolveConnection({}, fakeEnv({ PGUSER: 'u' }, { '/home/u/.pgpass': '*:*:*:*:pw' }, ['/home/u/.pgpass']));
    assert.equal(r.password, undefined);
    assert.match(r.conn.notes[0] ?? '', /readable by others/);
  });

  it('maps sslmode to TLS options; a missing CA file is a clear error', () => {
    const base = resolveConnection({ params: { host: 'h', user: 'u' } }, fakeEnv({})).conn;
    assert.equal(tlsOptions({ ...base, sslmode: 'disable' }), false);
    assert.deepEqual(tlsOptions({ ...base, sslmode: 'require' }), { rejectUnauthorized: false });
    assert.throws(() => tlsOptions({ ...base, sslmode: 'verify-full', sslrootcert: '/no/ca.pem' }), /CA file \/no\/ca.pem does not exist/);
    assert.throws(() => resolveConnection({ params: { sslmode: 'sometimes' } }, fakeEnv({})), /sslmode "sometimes"/);
  });
});

describe('PostgreSQL SQL builders', () => {
  const t = (expr: string, descending = false, nullable = false) => ({ expr, type: 'integer', descending, nullable });
  it('keyset predicates: a row comparison for an ascending key, NULL-aware expansion otherwise', () => {
    assert.deepEqual(afterPredicate([t('"a"'), t('"b"')], ['1', '2'], 3), { sql: '("a", "b") > ($3::integer, $4::integer)', params: ['1', '2'] });
    const p = afterPredicate([t('"x"', true, true), t('"id"')], [null, '5'], 1);
    assert.equal(p.sql, '("x" IS NOT NULL OR ("x" IS NULL AND ("id" > $1::integer OR ("id" = $1::integer AND false))))');
  });
  it('CREATE INDEX text quotes names and keeps expressions', () => {
    assert.equal(createIndexSql({ schema: 'odd schema', table: 't"x', name: 'i', method: 'gin', keys: [{ expression: 'lower(title)', opclass: 'gin_trgm_ops' }], where: 'price > 0', concurrently: true }),
      'CREATE INDEX CONCURRENTLY "i" ON "odd schema"."t""x" USING gin ((lower(title)) "gin_trgm_ops") WHERE price > 0');
    assert.throws(() => createIndexSql({ schema: 's', table: 't', name: 'i', method: 'hash', unique: true, keys: [{ column: 'a' }] }), /Only btree/);
  });
  it('tells data-changing statements from reads', () => {
    assert.equal(changesData('DELETE FROM t'), true);
    assert.equal(changesData("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d"), true);
    assert.equal(changesData("SELECT 'delete' -- update\nFROM t"), false);
  });
});
