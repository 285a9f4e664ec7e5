/** The registry backends every directory contract test runs on: memory and a SQLite temp file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryRegistry, openSqliteRegistry, type Registry } from '@voip/registry';

/** A registry for one test, and how to dispose of it (close, delete its files). */
export interface TestBackend {
  readonly registry: Registry;
  dispose(): Promise<void>;
}

/** The registry backends that integration tests run on. */
export const BACKENDS: readonly { readonly name: string; open(): Promise<TestBackend> }[] = [
  {
    name: 'memory',
    async open() {
      const registry = createMemoryRegistry();
      return { registry, dispose: () => registry.close() };
    },
  },
  {
    name: 'sqlite',
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'voip-server-test-'));
      const registry = await openSqliteRegistry({ database: join(dir, 'directory.db') });
      return {
        registry,
        async dispose() {
          await registry.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
