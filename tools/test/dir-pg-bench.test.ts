// The directory-pg benchmark's pieces against real servers and a real PostgreSQL cluster:
// CPU read from /proc over the load generator's window, and presence measures that report
// a figure that never comes as missing, within their deadlines, instead of waiting for it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runLoadGenerator } from '../bench/dir-load-run.mjs';
import { measureKilledServerVanish, measureWatchPropagation } from '../bench/dir-presence.mjs';
import { clusterCpuSeconds, cpuSeconds } from '../bench/dir-proc.mjs';
import { startPostgres, startVoipServer, stopProcess } from '../bench/dir-servers.mjs';
import { median, percentile } from '../bench/stats.mjs';

describe('median and percentile', () => {
  test.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 3],
    [[null, 5, undefined], 5],
    [[], null],
  ])('median of %j is %j', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  test.each([
    [50, 6],
    [99, 10],
    [0, 1],
  ])('the %ith percentile of 1..10 is %i', (p, expected) => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p)).toBe(expected);
    expect(percentile([], p)).toBeNull();
  });
});

describe('a server on a throwaway PostgreSQL cluster under load', () => {
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let server: Awaited<ReturnType<typeof startVoipServer>>;
  beforeAll(async () => {
    pg = await startPostgres();
    server = await startVoipServer({ db: pg.url });
  });
  afterAll(async () => {
    if (server) await stopProcess(server.child);
    if (pg) await pg.stop();
  });

  test('the server spends CPU inside the measured window, the cluster is read, and every connection registered (the generator fails on a refused REG)', async () => {
    const marks: Record<string, { server: number; postgres: number }> = {};
    const result = await runLoadGenerator({
      ports: [server.port],
      conns: 20,
      warmMs: 300,
      measureMs: 1500,
      sources: 'spread',
      onPhase: (phase: string) => (marks[phase] = { server: cpuSeconds(server.child.pid), postgres: clusterCpuSeconds(pg.postmaster) }),
    });
    expect(Object.keys(marks)).toEqual(['measure', 'end']);
    expect(result.requests).toBeGreaterThan(100);
    expect(marks.end.server).toBeGreaterThan(marks.measure.server);
    // The registrations before the window cost the cluster CPU; GETs inside it may cost none (the server answers from its view).
    expect(marks.measure.postgres).toBeGreaterThan(0);
    expect(marks.end.postgres).toBeGreaterThanOrEqual(marks.measure.postgres);
  });
});

describe('presence measures on two servers that share no directory', () => {
  let a: Awaited<ReturnType<typeof startVoipServer>>;
  let b: Awaited<ReturnType<typeof startVoipServer>>;
  beforeAll(async () => {
    a = await startVoipServer({ db: 'memory' });
    b = await startVoipServer({ db: 'memory' });
  });
  afterAll(async () => {
    for (const s of [a, b]) if (s) await stopProcess(s.child);
  });

  test('WATCH propagation to the other server gives up after the first timed-out REGs; the same server gets every push', async () => {
    const w = await measureWatchPropagation({ regPort: a.port, remotePort: b.port, samples: 10, timeoutMs: 300, giveUpAfter: 2, prefix: 'apart-' });
    expect(w.crossServer).toMatchObject({ status: 'not propagated', sent: 2, received: 0, timedOut: 2, p99Ms: null });
    expect(w.sameServer).toMatchObject({ sent: 10, received: 10, timedOut: 0 });
    expect(w.sameServer.p99Ms).toBeGreaterThanOrEqual(w.sameServer.p50Ms);
  });

  test('WATCH propagation with both watchers on one server is pushed every name', async () => {
    const w = await measureWatchPropagation({ regPort: a.port, remotePort: a.port, samples: 5, timeoutMs: 5000, prefix: 'same-' });
    expect(w.crossServer).toMatchObject({ status: 'ok', sent: 5, received: 5 });
  });

  test("a killed server's users that the other server never listed are reported as such, and the victim is not killed", async () => {
    const k = await measureKilledServerVanish({ victim: a, observerPort: b.port, users: 5, listTimeoutMs: 500, prefix: 'kill-' });
    expect(k).toMatchObject({ status: 'never listed', listedOnObserver: 0, vanishMs: null });
    expect(a.child.exitCode).toBeNull();
    expect(a.child.signalCode).toBeNull();
  });
});
