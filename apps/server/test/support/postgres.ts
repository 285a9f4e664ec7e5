/** A throwaway PostgreSQL cluster for the server's tests, run as a process from @voip/registry's test support. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * The registry's cluster recipe. The tests run it as a process rather than import it,
 * since a project's tests import nothing from outside the project.
 */
export const POSTGRES_CLUSTER_SCRIPT = fileURLToPath(new URL('../../../../packages/registry/test/support/postgres-cluster.mjs', import.meta.url));

/** A running cluster; its superuser `postgres` is trusted on 127.0.0.1 and on the socket. */
export interface TestPostgres {
  readonly port: number;
  /** The folder of its Unix socket (for PGHOST). */
  readonly socketDir: string;
  /** `postgres://USER@127.0.0.1:PORT/DATABASE` (`postgres` for both by default). */
  url(database?: string, user?: string): string;
  /** Runs one statement as the superuser. */
  query(text: string, database?: string): Promise<pg.QueryResult>;
  /** Stops the database server, every connection cut, data kept: the database is gone until {@link resume}. */
  halt(): Promise<void>;
  /** Starts it again, same port, same data. */
  resume(): Promise<void>;
  /** Stops the cluster and deletes its folder. Idempotent. */
  stop(): Promise<void>;
}

/** Starts a cluster (about 1.5 s); rejects with the script's message (e.g. how to install PostgreSQL). */
export async function startTestPostgres(): Promise<TestPostgres> {
  const child = spawn(process.execPath, [POSTGRES_CLUSTER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const where = await new Promise<{ port: number; socketDir: string }>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))) as { port: number; socketDir: string });
    });
    void exited.then((code) => reject(new Error(`the PostgreSQL test cluster did not start (exit ${String(code)}): ${err}`)));
  });
  // The script answers `halt` and `resume` lines with `halted` and `resumed` (or `failed ...`).
  const command = async (line: 'halt' | 'resume'): Promise<void> => {
    const answer = line === 'halt' ? 'halted' : 'resumed';
    const seen = out.length;
    child.stdin.write(`${line}\n`);
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        const said = out.slice(seen);
        if (said.includes(`${answer}\n`)) resolve();
        else if (said.includes('failed')) reject(new Error(`the PostgreSQL test cluster could not ${line}: ${said}`));
        else return;
        child.stdout.off('data', check);
      };
      child.stdout.on('data', check);
      check();
    });
  };
  const url = (database = 'postgres', user = 'postgres') => `postgres://${user}@127.0.0.1:${where.port}/${database}`;
  let stopped: Promise<void> | undefined;
  return {
    ...where,
    url,
    async query(text, database = 'postgres') {
      const client = new pg.Client({ connectionString: url(database) });
      await client.connect();
      try {
        return await client.query(text);
      } finally {
        await client.end();
      }
    },
    halt: () => command('halt'),
    resume: () => command('resume'),
    stop() {
      // Closing its stdin tells the script to stop the cluster and remove it.
      stopped ??= (async () => {
        child.stdin.end();
        const code = await exited;
        if (code !== 0) throw new Error(`the PostgreSQL test cluster did not stop cleanly (exit ${String(code)}): ${err}`);
      })();
      return stopped;
    },
  };
}
