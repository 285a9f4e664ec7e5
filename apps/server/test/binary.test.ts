import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteRegistry } from '@voip/registry';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_BIN, spawnServer, type ServerProcess } from './support/spawn-server.js';
import { openClient, type TestClient } from './support/tcp-client.js';

describe('the voip-server executable', () => {
  const running: ServerProcess[] = [];
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  let blocker: Server | undefined;

  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });

  function start(args: string[], cwd?: string, nodeArgs: string[] = []) {
    const server = spawnServer(args, cwd, nodeArgs);
    running.push(server);
    return server;
  }

  function tempDir() {
    const dir = mkdtempSync(join(tmpdir(), 'voip-server-bin-'));
    dirs.push(dir);
    return dir;
  }

  async function client(port: number) {
    const c = await openClient(port);
    clients.push(c);
    return c;
  }

  it('logs timestamped lines, prints the port it picked, and exits 0 on SIGTERM', async () => {
    const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', 'memory']);
    const [, port] = await server.waitForLine(/^\d{4}-\d\d-\d\dT\S+Z listening on 127\.0\.0\.1:(\d+) \(storage memory\)$/);
    const alice = await client(Number(port));
    expect(await alice.request({ command: 'REG', name: 'alice' })).toEqual({ ack: 'Registered successfully' });
    await server.waitForLine(/registered "alice" at 127\.0\.0\.1 port 5001/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await alice.closed;
    for (const line of server.stdout().trim().split('\n')) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \S/);
    expect(server.stdout()).toContain('server closed');
  });

  it('writes one JSON object per line with --log json, and exits 0 on SIGINT', async () => {
    const server = start(['--no-tui', '--log', 'json', '--port', '0', '--host', '127.0.0.1', '--db', 'memory']);
    const [, port] = await server.waitForLine(/"event":"listening".*"port":(\d+)/);
    const bob = await client(Number(port));
    await bob.request({ command: 'REG', name: 'bob', port: 6001 });
    await bob.end();
    await server.waitForLine(/"event":"unregistered"/);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    const lines = server
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l['event'])).toEqual(['listening', 'connected', 'registered', 'unregistered', 'disconnected', 'closed']);
    expect(lines[2]).toMatchObject({ name: 'bob', ip: '127.0.0.1', port: 6001 });
    expect(lines.every((l) => typeof l['time'] === 'string')).toBe(true);
  });

  it('exits 2 naming the port when it is in use', async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start(['--no-tui', '--port', String(port), '--host', '127.0.0.1', '--db', 'memory']);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain(`port ${port} is already in use`);
    expect(server.stderr()).toContain('--port');
  });

  it('exits 2 on a database path it cannot use', async () => {
    const server = start(['--no-tui', '--port', '0', '--db', 'sqlite:/nonexistent/dir/x.db']);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('/nonexistent/dir/x.db');
    expect(server.stderr()).toContain('--db');
  });

  it('exits 2 saying the database is in use when another server holds the file', async () => {
    const dir = tempDir();
    const holder = await openSqliteRegistry({ database: join(dir, 'busy.db') });
    try {
      // The second opener waits for the driver's busy timeout (5 s) before giving up.
      const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${join(dir, 'busy.db')}`]);
      expect(await server.exited).toBe(2);
      expect(server.stderr()).toContain('busy.db');
      expect(server.stderr()).toContain('another voip-server');
    } finally {
      await holder.close();
    }
  }, 20_000);

  it.each([[['--port', 'ten']], [['--frobnicate']], [['--db']]])('exits 2 with the usage hint on %j', async (args) => {
    const server = start(args);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('voip-server --help');
    expect(server.stdout()).toBe('');
  });

  it('exits 3 and says it is a bug on an unexpected error, leaving no listener behind', async () => {
    // The fault is injected from outside the program: a preloaded module throws from a
    // signal handler, which reaches the process as an uncaught exception.
    const fault = "data:text/javascript,process.on('SIGUSR2', () => { throw new Error('injected fault'); });";
    const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', 'memory'], undefined, ['--import', fault]);
    const [, port] = await server.waitForLine(/listening on 127\.0\.0\.1:(\d+)/);
    server.child.kill('SIGUSR2');
    expect(await server.exited).toBe(3);
    expect(server.stderr()).toContain('this is a bug');
    expect(server.stderr()).toContain('injected fault');
    await expect(openClient(Number(port))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('exits 3 on an unexpected rejection too', async () => {
    const fault = "data:text/javascript,process.on('SIGUSR2', () => { Promise.reject(new Error('injected rejection')); });";
    const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', 'memory'], undefined, ['--import', fault]);
    await server.waitForLine(/listening on/);
    server.child.kill('SIGUSR2');
    expect(await server.exited).toBe(3);
    expect(server.stderr()).toContain('injected rejection');
  });

  it('stops cleanly with a clear message, not as a bug, when the reader of its log goes away', async () => {
    const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', 'memory']);
    const [, port] = await server.waitForLine(/listening on 127\.0\.0\.1:(\d+)/);
    server.child.stdout!.destroy();
    // The next event needs a log line, which now has nowhere to go.
    const c = await client(Number(port));
    c.send({ command: 'REG', name: 'dave' });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).not.toContain('bug');
    expect(server.stderr()).toContain('standard output');
    await c.closed;
  });

  it('prints the usage with --help and exits 0', async () => {
    const server = start(['--help']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('--max-conns-per-ip');
  });

  it('prints the usage with -h too, keys and exit codes included', async () => {
    const server = start(['-h']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('--version');
    expect(server.stdout()).toContain('Dashboard keys');
    expect(server.stdout()).toContain('Exit codes');
    expect(server.stderr()).toBe('');
  });

  it('prints the version of the package with --version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(SERVER_BIN, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const server = start(['--version']);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toBe(`voip-server ${version}\n`);
  });

  it('keeps entries in the SQLite file of the working directory and clears them on exit', async () => {
    const dir = tempDir();
    const server = start(['--no-tui', '--port', '0', '--host', '127.0.0.1'], dir);
    const [, port] = await server.waitForLine(/listening on 127\.0\.0\.1:(\d+) \(storage sqlite:(.*voip-directory\.db)\)/);
    const carol = await client(Number(port));
    expect(await carol.request({ command: 'REG', name: 'carol' })).toEqual({ ack: 'Registered successfully' });
    // The registry locks its file while the server runs: look through the protocol.
    expect(await carol.request({ command: 'LIST' })).toEqual({ users: [{ name: 'carol', ip: '127.0.0.1', port: 5001 }] });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const after = await openSqliteRegistry({ database: join(dir, 'voip-directory.db') });
    try {
      expect(await after.list()).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
