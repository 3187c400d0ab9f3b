import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isStorageError } from '../../../src/core/errors';
import { nodeEnvironment, resolveConnection, type Environment } from '../../../src/core/pg/config';
import { PgSession } from '../../../src/core/pg/session';
import { pg, pgSkip } from '../../support/pgServer';

/** The real file system, with only the given variables (the test process's PG* stay out). */
const envWith = (vars: Record<string, string>, home: string): Environment => ({ ...nodeEnvironment(), env: vars, home });

/** Whether psql (libpq) connects with the same variables and no password given: the oracle. */
function psqlConnects(vars: Record<string, string>, conninfo = ''): boolean {
  try {
    execFileSync(`${pg.bin}/psql`, ['-X', '-q', '-w', '-t', '-c', 'SELECT 1', ...(conninfo ? [conninfo] : [])], { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...vars }, stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

async function whoAmI(r: ReturnType<typeof resolveConnection>): Promise<{ user: string; ssl: boolean }> {
  const s = await PgSession.open(r.conn, r.password);
  try {
    const [row] = await s.query<{ u: string; ssl: boolean }>('SELECT current_user AS u, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return { user: row!.u, ssl: row!.ssl };
  } finally { await s.close(); }
}

describe('PostgreSQL connections resolve as libpq does (psql as the oracle)', { skip: pgSkip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'si-pgconn-'));
  const pgpass = join(dir, 'pgpass');
  writeFileSync(pgpass, `# test\n127.0.0.1:${pg.port}:si_fixtures:si_test:${pg.password}\n`);
  chmodSync(pgpass, 0o600);
  const base = { PGHOST: '127.0.0.1', PGPORT: String(pg.port), PGUSER: 'si_test', PGDATABASE: 'si_fixtures', PGSSLMODE: 'verify-full', PGSSLROOTCERT: pg.ca };

  it('PG* variables and ~/.pgpass', async () => {
    const vars = { ...base, PGPASSFILE: pgpass };
    assert.equal(psqlConnects(vars), true);
    const r = resolveConnection({}, envWith(vars, dir));
    assert.equal(r.conn.passwordSource, 'pgpass');
    assert.deepEqual(await whoAmI(r), { user: 'si_test', ssl: true });
  });

  it('a pg_service.conf service', async () => {
    const file = join(dir, 'services.conf');
    writeFileSync(file, `[si]\nhost=127.0.0.1\nport=${pg.port}\ndbname=si_fixtures\nuser=si_test\nsslmode=verify-full\nsslrootcert=${pg.ca}\n`);
    const vars = { PGSERVICEFILE: file, PGPASSFILE: pgpass };
    assert.equal(psqlConnects(vars, 'service=si'), true);
    const r = resolveConnection({ params: { service: 'si' } }, envWith(vars, dir));
    assert.equal(r.conn.port, pg.port);
    assert.deepEqual(await whoAmI(r), { user: 'si_test', ssl: true });
  });

  it('a postgres:// URI with the password from secret storage, and sslmode=prefer takes TLS when offered', async () => {
    const uri = `postgres://si_test@127.0.0.1:${pg.port}/si_fixtures?sslmode=verify-full&sslrootcert=${encodeURIComponent(pg.ca)}`;
    assert.deepEqual(await whoAmI(resolveConnection({ uri, password: pg.password }, envWith({}, dir))), { user: 'si_test', ssl: true });
    const prefer = resolveConnection({ params: { host: '127.0.0.1', port: pg.port, database: 'si_fixtures', user: 'si_test' }, password: pg.password }, envWith({}, dir));
    assert.equal(prefer.conn.sslmode, 'prefer', 'libpq\'s default');
    assert.equal((await whoAmI(prefer)).ssl, true);
  });

  it('a ~/.pgpass readable by others is ignored by both, and the error says a password is missing', async () => {
    const loose = join(dir, 'loose');
    writeFileSync(loose, `*:*:*:*:${pg.password}\n`);
    chmodSync(loose, 0o644);
    const vars = { ...base, PGPASSFILE: loose };
    assert.equal(psqlConnects(vars), false);
    const r = resolveConnection({}, envWith(vars, dir));
    assert.equal(r.password, undefined);
    await assert.rejects(PgSession.open(r.conn, r.password), (e) => isStorageError(e) && e.code === 'WrongKey' && /asks for a password and none was given/.test(e.message));
  });
});
