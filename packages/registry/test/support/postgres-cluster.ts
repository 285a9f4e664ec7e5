/** A throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a temp folder, on a free loopback port, removed afterwards. */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** A running cluster. Its superuser is `postgres`, trusted without a password on loopback and the socket. */
export interface PostgresCluster {
  /** The TCP address it listens on. */
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The folder holding its Unix socket. */
  readonly socketDir: string;
  readonly user: 'postgres';
  /** `postgres://postgres@127.0.0.1:PORT/DATABASE` (`postgres` by default). */
  url(database?: string, user?: string): string;
  /** Runs one SQL statement as the superuser in a database (`postgres` by default). */
  query(text: string, database?: string): Promise<pg.QueryResult>;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the cluster at once and deletes its folder; calling it again does nothing. */
  stop(): Promise<void>;
}

/** Thrown when the PostgreSQL server programs are not installed. */
export class PostgresBinariesMissingError extends Error {
  override readonly name = 'PostgresBinariesMissingError';
  constructor(detail: string) {
    super(`PostgreSQL server programs (initdb, pg_ctl) were not found (${detail}): run \`bash tools/install-test-deps.sh\` to install them (Debian package postgresql)`);
  }
}

/** Finds the folder of initdb and pg_ctl: on PATH, else the newest `/usr/lib/postgresql/N/bin` (Debian's layout). */
export function findPostgresBin(where: { path?: string; debian?: string } = {}): string {
  const candidates = (where.path ?? process.env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
  const debian = where.debian ?? '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) throw new PostgresBinariesMissingError(`looked on PATH and in ${debian}/*/bin`);
  return found;
}

/** The servers still running, stopped on exit if a test run ends without stopping them. */
const running = new Set<{ stopNow(): void }>();
process.once('exit', () => {
  for (const cluster of running) cluster.stopNow();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a fresh cluster (about 1.5 s). As root, the PostgreSQL programs refuse to
 * run, so they run as the user `postgres` (made by the Debian package) and the
 * folder is given to it. Durability is off: the data is thrown away anyway.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres']);
    const gids = spawnSync('id', ['-g', 'postgres']);
    if (ids.status !== 0) throw new PostgresBinariesMissingError('running as root, but there is no user postgres to run them as');
    owner = { uid: Number(ids.stdout.toString()), gid: Number(gids.stdout.toString()) };
  }
  const command = (program: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];

  const root = mkdtempSync(join(tmpdir(), 'voip-pg-'));
  if (owner) chownSync(root, owner.uid, owner.gid);
  const data = join(root, 'data');
  const log = join(root, 'server.log');
  const stopNow = () => {
    spawnSync(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
    rmSync(root, { recursive: true, force: true });
  };
  const handle = { stopNow };
  running.add(handle);
  try {
    await run(...command('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C.UTF-8', '-N']));
    let port = 0;
    // The port is free when probed but could be taken before the server binds it: retry then.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const settings = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await run(...command('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start']));
        break;
      } catch (error) {
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt < 3 && /already in use/i.test(text)) continue;
        throw new Error(`pg_ctl start failed: ${(error as Error).message}\n${text}`);
      }
    }
    const url = (database = 'postgres', user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
    const query = async (text: string, database = 'postgres') => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    };
    let stopped = false;
    return {
      host: '127.0.0.1',
      port,
      socketDir: root,
      user: 'postgres',
      url,
      query,
      async createDatabase(name) {
        await query(`create database "${name}"`);
        return url(name);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        running.delete(handle);
        try {
          await run(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    running.delete(handle);
    stopNow();
    throw error;
  }
}
