import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PostgresBinariesMissingError, findPostgresBin, startPostgresCluster } from './support/postgres-cluster.mjs';

describe('the throwaway PostgreSQL cluster of the tests', () => {
  test('without the programs it fails saying how to install them', () => {
    const empty = mkdtempSync(join(tmpdir(), 'voip-no-pg-'));
    try {
      const attempt = () => findPostgresBin({ path: empty, debian: join(empty, 'missing') });
      expect(attempt).toThrow(PostgresBinariesMissingError);
      expect(attempt).toThrow(/bash tools\/install-test-deps\.sh/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('starts on a free loopback port, answers, and leaves nothing behind when stopped', async () => {
    const cluster = await startPostgresCluster();
    try {
      const { rows } = await cluster.query('select current_user as who, inet_server_addr()::text as addr, inet_server_port() as port');
      expect(rows[0]).toEqual({ who: 'postgres', addr: '127.0.0.1/32', port: cluster.port });
      expect(existsSync(join(cluster.socketDir, `.s.PGSQL.${cluster.port}`))).toBe(true);
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.socketDir)).toBe(false);
    await expect(cluster.query('select 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await cluster.stop(); // stopping twice is harmless
  });
});
