/** The backends the contract suite runs on: memory, SQLite (file and :memory:) and a throwaway PostgreSQL cluster. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryRegistry, openPostgresRegistry, openSqliteRegistry, type Registry } from '../../src/index.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.mjs';

// One throwaway PostgreSQL cluster, started by the first test that needs it: if it
// cannot start (programs missing), those tests fail saying why.
let cluster: Promise<{ cluster: PostgresCluster; url: string }> | undefined;
function postgres(): Promise<{ cluster: PostgresCluster; url: string }> {
  cluster ??= startPostgresCluster().then(async (started) => ({ cluster: started, url: await started.createDatabase('contract') }));
  return cluster;
}

/** Stops what the backends started (the PostgreSQL cluster, if any); for `afterAll`. */
export async function stopContractBackends(): Promise<void> {
  const started = await cluster?.catch(() => undefined);
  cluster = undefined;
  await started?.cluster.stop();
}

/** A backend under test: opens a fresh, empty registry and cleans up after it. */
export interface ContractBackend {
  readonly label: string;
  open(): Promise<{ registry: Registry; dispose(): Promise<void> }>;
}

/** Every backend, in the order the suite runs them. */
export const CONTRACT_BACKENDS: readonly ContractBackend[] = [
  {
    label: 'memory',
    async open() {
      const registry = createMemoryRegistry();
      return { registry, dispose: () => registry.close() };
    },
  },
  {
    label: 'SQLite file',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'voip-registry-'));
      const registry = await openSqliteRegistry({ database: join(dir, 'registry.db') });
      return {
        registry,
        async dispose() {
          await registry.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    label: 'SQLite :memory:',
    async open() {
      const registry = await openSqliteRegistry({ database: ':memory:' });
      return { registry, dispose: () => registry.close() };
    },
  },
  {
    label: 'PostgreSQL',
    async open() {
      // Opening deletes the rows this server id left: every test starts empty.
      const registry = await openPostgresRegistry({ pool: (await postgres()).url, serverId: 'contract' });
      return { registry, dispose: () => registry.close() };
    },
  },
];
