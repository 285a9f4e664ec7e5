// The processes a directory benchmark runs against: our voip-server on a given --db,
// and a throwaway PostgreSQL cluster (the registry's cluster script, run as a process).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { postmasterPid } from './dir-proc.mjs';

const root = join(import.meta.dirname, '..', '..');
const serverBin = join(root, 'apps/server/bin/voip-server.js');
const clusterScript = join(root, 'packages/registry/test/support/postgres-cluster.mjs');

/** Thrown when the PostgreSQL server programs (initdb, pg_ctl) are not installed: the PostgreSQL rows are skipped, saying so. */
export class PostgresUnavailableError extends Error {
  name = 'PostgresUnavailableError';
}

// Servers still running when the bench process exits (a crash, a closed pipe) are
// killed with it rather than left behind; a cluster stops on its own when its stdin closes.
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A TCP port free on 127.0.0.1 when probed. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Whether this build of voip-server takes `flag` (read once from its --help). */
let helpText;
export function serverTakes(flag) {
  helpText ??= spawnSync(process.execPath, [serverBin, '--help'], { encoding: 'utf8' }).stdout;
  return helpText.includes(flag);
}

/**
 * Spawns `node args...` and resolves with `{ child, port }` once it logs that it
 * listens (a JSON log line with "port"). Rejects if it exits or is silent for 20 s.
 */
export function startListening(label, args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label} server did not start within 20 s: ${out}`));
    }, 20_000);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} server exited with ${code ?? signal}: ${out}`));
    };
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        if (!/listen/i.test(line)) continue;
        const m = /"port"\s*:\s*(\d+)/.exec(line) ?? /:(\d+)\b/.exec(line);
        if (!m) continue;
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, port: Number(m[1]) });
        return;
      }
    });
  });
}

/**
 * Starts voip-server on `db` (`sqlite:PATH`, `memory`, `postgres://...`) with limits off.
 * `port` 0 picks one; servers sharing a PostgreSQL database need distinct ports, as the
 * server's id defaults to host:port, and get `--server-id` when the build takes it.
 */
export function startVoipServer({ db, port = 0, serverId }) {
  const args = [serverBin, '--no-tui', '--log', 'json', '--host', '127.0.0.1', '--port', String(port), '--db', db, '--rate-limit', '0', '--max-conns-per-ip', '0'];
  if (serverId !== undefined && serverTakes('--server-id')) args.push('--server-id', serverId);
  return startListening(db.split(':')[0], args);
}

/** Stops a server process (SIGTERM, or `signal`) and waits for its exit. */
export async function stopProcess(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * Starts a throwaway PostgreSQL cluster on a free port; resolves with
 * `{ url, postmaster, stop() }`. Rejects with {@link PostgresUnavailableError} (the
 * script's own message: what is missing and how to install it) when it cannot start.
 */
export function startPostgres() {
  const child = spawn(process.execPath, [clusterScript], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.once('exit', (code) => {
      const message = `the throwaway PostgreSQL cluster did not start (exit ${code}): ${err.trim()}`;
      // Missing programs skip the PostgreSQL figures; any other failure is the bench's to report.
      reject(/programs \(initdb, pg_ctl\) were not found/.test(err) ? new PostgresUnavailableError(message) : new Error(message));
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { url, socketDir } = JSON.parse(out.slice(0, nl));
      child.removeAllListeners('exit');
      const stop = async () => {
        if (child.exitCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.stdin.end();
        await exited;
      };
      resolve({ url, postmaster: postmasterPid(join(socketDir, 'data')), stop });
    });
  });
}
