import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { spawnServer, type ServerProcess } from './support/spawn-server.js';
import { openClient, type TestClient } from './support/tcp-client.js';

const PG_VARIABLES = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD'];

describe('voip-server --db postgres', () => {
  let postgres: TestPostgres;
  const running: ServerProcess[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    postgres = await startTestPostgres();
    await postgres.query('create database voip');
  });
  afterAll(async () => {
    await postgres?.stop();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
  });

  /** Starts the real binary with PG* variables set (and only those given). */
  function start(args: string[], pgEnv: Record<string, string> = {}): ServerProcess {
    const saved = Object.fromEntries(PG_VARIABLES.map((key) => [key, process.env[key]]));
    for (const key of PG_VARIABLES) delete process.env[key];
    Object.assign(process.env, pgEnv);
    try {
      const server = spawnServer(['--no-tui', '--port', '0', '--host', '127.0.0.1', ...args]);
      running.push(server);
      return server;
    } finally {
      for (const key of PG_VARIABLES) {
        const value = saved[key];
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  it('keeps entries in PostgreSQL, owned by this server, and clears them on exit', async () => {
    const server = start(['--db', postgres.url('voip')]);
    const label = postgres.url('voip').replace(/[.]/g, '\\.');
    const [, port] = await server.waitForLine(new RegExp(`listening on 127\\.0\\.0\\.1:(\\d+) \\(storage ${label}\\)`));
    const carol = await openClient(Number(port));
    clients.push(carol);
    expect(await carol.request({ command: 'REG', name: 'carol' })).toEqual({ ack: 'Registered successfully' });
    const { rows } = await postgres.query('select name, server_id from voip_presence', 'voip');
    expect(rows).toEqual([{ name: 'carol', server_id: expect.stringMatching(/:0-\d+$/) }]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect((await postgres.query('select name from voip_presence', 'voip')).rows).toEqual([]);
  });

  it('with --db postgres alone takes everything from the PG* variables', async () => {
    const server = start(['--db', 'postgres'], { PGHOST: postgres.socketDir, PGPORT: String(postgres.port), PGUSER: 'postgres', PGDATABASE: 'voip' });
    const [, port] = await server.waitForLine(/listening on 127\.0\.0\.1:(\d+) \(storage postgres \(PG\* environment variables\)\)/);
    const dave = await openClient(Number(port));
    clients.push(dave);
    expect(await dave.request({ command: 'REG', name: 'dave' })).toEqual({ ack: 'Registered successfully' });
    expect((await postgres.query('select name from voip_presence', 'voip')).rows).toEqual([{ name: 'dave' }]);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('exits 2 on a URL that does not parse, saying how to write one', async () => {
    const server = start(['--db', 'postgres://voip@db:port/voip']);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('not a valid URL');
    expect(server.stderr()).toContain('postgres://USER@HOST:PORT/DB');
  });

  it('exits 2 on a bad port from PGPORT, naming the variables', async () => {
    const server = start(['--db', 'postgres'], { PGHOST: '127.0.0.1', PGPORT: 'five' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('bad PostgreSQL connection settings');
    expect(server.stderr()).toContain('PGPORT');
  });

  it('exits 2 when nothing listens at the address, saying where it tried and what to check', async () => {
    // Port 1 of loopback: closed, nothing listens there.
    const server = start(['--db', 'postgres://postgres@127.0.0.1:1/voip']);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('cannot reach the PostgreSQL database');
    expect(server.stderr()).toContain('postgres@127.0.0.1:1/voip');
    expect(server.stderr()).toContain('Check that PostgreSQL is running');
  });

  it('exits 2 when the database does not exist, saying to create it', async () => {
    const server = start(['--db', postgres.url('missing')]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('refused the login');
    expect(server.stderr()).toContain('createdb');
  });

  it('exits 2 when the migration fails, saying which right the user lacks', async () => {
    await postgres.query('create database locked');
    await postgres.query('create role reader login');
    // PostgreSQL 15 lets only the database owner create tables in public.
    const server = start(['--db', postgres.url('locked', 'reader')]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('the PostgreSQL schema migration failed');
    expect(server.stderr()).toContain('permission denied');
    expect(server.stderr()).toContain('GRANT CREATE ON SCHEMA public');
  });
});
