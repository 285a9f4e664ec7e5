/**
 * A throwaway PostgreSQL cluster for tests: initdb and pg_ctl in a temp folder, on a
 * free loopback port, removed afterwards. Plain JavaScript (types in the .d.mts beside
 * it) so that other projects' tests can run it as a process, which they may, instead
 * of importing it, which they may not: `node postgres-cluster.mjs` prints one JSON
 * line `{"port", "socketDir", "url"}`, answers `halt` and `resume` lines on stdin (stopping and
 * starting the server, data kept) with `halted` and `resumed`, and stops the cluster when
 * its stdin closes or on SIGTERM/SIGINT.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Thrown when the PostgreSQL server programs are not installed. */
export class PostgresBinariesMissingError extends Error {
  name = 'PostgresBinariesMissingError';
  /** @param {string} detail */
  constructor(detail) {
    super(`PostgreSQL server programs (initdb, pg_ctl) were not found (${detail}): run \`bash tools/install-test-deps.sh\` to install them (Debian package postgresql)`);
  }
}

/** Finds the folder of initdb and pg_ctl: on PATH, else the newest `/usr/lib/postgresql/N/bin` (Debian's layout). */
/** @param {{ path?: string; debian?: string }} [where] */
export function findPostgresBin(where = {}) {
  const candidates = (where.path ?? process.env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
  const debian = where.debian ?? '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const found = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (found === undefined) throw new PostgresBinariesMissingError(`looked on PATH and in ${debian}/*/bin`);
  return found;
}

/** The servers still running, stopped on exit if a test run ends without stopping them. */
/** @type {Set<{ stopNow(): void }>} */
const running = new Set();
process.once('exit', () => {
  for (const cluster of running) cluster.stopNow();
});

/** @returns {Promise<number>} */
function freePort() {
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
/** @returns {Promise<import('./postgres-cluster.d.mts').PostgresCluster>} */
export async function startPostgresCluster() {
  const bin = findPostgresBin();
  const asRoot = process.getuid?.() === 0;
  /** @type {{ uid: number; gid: number } | undefined} */
  let owner;
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres']);
    const gids = spawnSync('id', ['-g', 'postgres']);
    if (ids.status !== 0) throw new PostgresBinariesMissingError('running as root, but there is no user postgres to run them as');
    owner = { uid: Number(ids.stdout.toString()), gid: Number(gids.stdout.toString()) };
  }
  /** @type {(program: string, args: string[]) => [string, string[]]} */
  const command = (program, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args]);

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
    const settingsFor = (/** @type {number} */ p) => `-p ${p} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    // The port is free when probed but could be taken before the server binds it: retry then.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await run(...command('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settingsFor(port), 'start']));
        break;
      } catch (error) {
        const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt < 3 && /already in use/i.test(text)) continue;
        throw new Error(`pg_ctl start failed: ${/** @type {Error} */ (error).message}\n${text}`);
      }
    }
    /** @type {(database?: string, user?: string) => string} */
    const url = (database = 'postgres', user = 'postgres') => `postgres://${user}@127.0.0.1:${port}/${database}`;
    /** @type {(text: string, database?: string) => Promise<pg.QueryResult>} */
    const query = async (text, database = 'postgres') => {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    };
    let stopped = false;
    let halted = false;
    return {
      host: '127.0.0.1',
      port,
      socketDir: root,
      user: 'postgres',
      url,
      query,
      /** @param {string} name */
      async createDatabase(name) {
        await query(`create database "${name}"`);
        return url(name);
      },
      async halt() {
        halted = true;
        // Fast: every connection is cut at once; unlike an immediate stop it keeps the data,
        // which durability off (synchronous_commit) would otherwise lose.
        await run(...command('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']));
      },
      async resume() {
        await run(...command('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settingsFor(port), 'start']));
        halted = false;
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        running.delete(handle);
        try {
          if (!halted) await run(...command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']));
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

// Run as a process: start, say where, and stop when told (stdin closed, SIGTERM, SIGINT).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startPostgresCluster().then(
    (cluster) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        cluster.stop().then(
          () => process.exit(0),
          (error) => {
            process.stderr.write(`${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      // `halt` and `resume` lines stop and start the server (same data, same port); each is answered with `halted` or `resumed`.
      let pending = '';
      let commands = Promise.resolve();
      process.stdin.on('data', (chunk) => {
        pending += chunk.toString('utf8');
        let newline;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line !== 'halt' && line !== 'resume') continue;
          commands = commands.then(async () => {
            try {
              await (line === 'halt' ? cluster.halt() : cluster.resume());
              process.stdout.write(`${line === 'halt' ? 'halted' : 'resumed'}\n`);
            } catch (error) {
              process.stdout.write(`failed ${String(error).split('\n')[0]}\n`);
            }
          });
        }
      });
      process.stdin.on('end', () => void commands.then(stop)).resume();
      process.stdout.write(`${JSON.stringify({ port: cluster.port, socketDir: cluster.socketDir, url: cluster.url() })}\n`);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
