#!/usr/bin/env node
// Measures Registry.lookup calls per second: memory backend, SQLite file (WAL)
// and SQLite :memory:, plus the same lookup sent through kysely's executeQuery for
// comparison. Not a test. Build first: npx tsc -p tsconfig.lib.json
// Usage: node scripts/bench-lookup.mjs [names=1000] [seconds=2]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createMemoryRegistry, openSqliteRegistry } from '../dist/index.js';

const names = Number(process.argv[2] ?? 1000);
const seconds = Number(process.argv[3] ?? 2);
const asked = Array.from({ length: names }, (_, i) => (i % 2 ? `User.${i}` : `user.${i}`));

async function fill(registry) {
  for (let i = 0; i < names; i++) await registry.register({ name: `user.${i}`, ip: '127.0.0.1', port: 5001, owner: `o${i}` });
}

async function measure(label, lookup) {
  // Warm up, then count completed calls for a fixed time.
  for (let i = 0; i < 20_000; i++) await lookup(asked[i % names]);
  let calls = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) {
      const found = await lookup(asked[(calls + i) % names]);
      if (found === undefined) throw new Error('lookup lost a name');
    }
    calls += 1000;
  }
  const rate = calls / seconds;
  console.log(`${label.padEnd(34)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} lookups/s`);
  return rate;
}

const dir = mkdtempSync(join(tmpdir(), 'voip-registry-bench-'));
try {
  const memory = createMemoryRegistry();
  await fill(memory);
  const m = await measure('memory', (n) => memory.lookup(n));

  const file = await openSqliteRegistry({ database: join(dir, 'bench.db') });
  await fill(file);
  const f = await measure('SQLite file (WAL), prepared', (n) => file.lookup(n));

  const mem = await openSqliteRegistry({ database: ':memory:' });
  await fill(mem);
  const sm = await measure('SQLite :memory:, prepared', (n) => mem.lookup(n));

  // Reference: the same query through kysely's executeQuery on the same file (its
  // rows stay in the file after close), with the same pragmas.
  await file.close();
  const raw = new Database(join(dir, 'bench.db'));
  raw.pragma('locking_mode = EXCLUSIVE');
  raw.pragma('journal_mode = WAL');
  const db = new Kysely({ dialect: new SqliteDialect({ database: raw }) });
  const compiled = db.selectFrom('presence').selectAll().where('name', '=', '').compile();
  const k = await measure('SQLite file, kysely executeQuery', async (n) => {
    const { rows } = await db.executeQuery({ ...compiled, parameters: [n] });
    return rows[0];
  });
  await db.destroy();
  await mem.close();
  await memory.close();
  console.log(`ratio SQLite file / memory: ${(f / m).toFixed(2)}; :memory: / memory: ${(sm / m).toFixed(2)}; kysely executeQuery / prepared: ${(k / f).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
