#!/usr/bin/env node
// The `directory-pg` benchmark: one server on SQLite, one on PostgreSQL, and two on one
// PostgreSQL splitting the load, side by side in one run; CPU per answered request of
// the servers and of PostgreSQL itself; then presence across two servers (WATCH
// propagation, a killed server's users leaving). Each PostgreSQL run gets its own
// throwaway cluster, so the cluster's processes are the bench's alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoadGenerator } from './dir-load-run.mjs';
import { measureKilledServerVanish, measureWatchPropagation } from './dir-presence.mjs';
import { clusterCpuSeconds, cpuSeconds, rssMb } from './dir-proc.mjs';
import { PostgresUnavailableError, freePort, serverTakes, startPostgres, startVoipServer, stopProcess } from './dir-servers.mjs';
import { median } from './stats.mjs';

const ms = (v) => (v === null ? 'n/a' : `${v.toFixed(2)} ms`);

/** The set-ups compared, in the order they take turns. */
export const SETUPS = ['sqlite', 'postgres', 'postgres-2'];

/** Starts a set-up's servers (and cluster); resolves with `{ servers, pg, cleanup() }`. */
async function startSetup(setup) {
  if (setup === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'voip-bench-'));
    const server = await startVoipServer({ db: `sqlite:${join(dir, 'bench.db')}` });
    return { servers: [server], pg: null, cleanup: async () => (await stopProcess(server.child), rmSync(dir, { recursive: true, force: true })) };
  }
  const pg = await startPostgres();
  const servers = [];
  try {
    // Distinct ports: a server's id defaults to host:port (and --server-id is given when the build takes it).
    for (let i = 0; i < (setup === 'postgres-2' ? 2 : 1); i++) servers.push(await startVoipServer({ db: pg.url, port: await freePort(), serverId: `bench-${i}` }));
  } catch (error) {
    for (const s of servers) await stopProcess(s.child);
    await pg.stop();
    throw error;
  }
  return { servers, pg, cleanup: async () => (await Promise.all(servers.map((s) => stopProcess(s.child))), await pg.stop()) };
}

/** CPU seconds so far of the set-up's servers (summed) and of its cluster. */
function cpuNow({ servers, pg }) {
  return { server: servers.reduce((sum, s) => sum + cpuSeconds(s.child.pid), 0), postgres: pg ? clusterCpuSeconds(pg.postmaster) : null };
}

/** One load run on a running set-up, with CPU per answered request over the measured window. */
async function measure(running, load) {
  const marks = {};
  const result = await runLoadGenerator({
    ...load,
    ports: running.servers.map((s) => s.port),
    sources: 'spread',
    onPhase: (phase) => (marks[phase] = { cpu: cpuNow(running), at: performance.now() }),
  });
  if (!marks.measure || !marks.end) throw new Error('the load generator did not mark its measured window');
  const seconds = (marks.end.at - marks.measure.at) / 1000;
  const serverCpu = marks.end.cpu.server - marks.measure.cpu.server;
  const pgCpu = running.pg ? marks.end.cpu.postgres - marks.measure.cpu.postgres : null;
  const perRequestUs = (cpu) => (cpu === null || result.requests === 0 ? null : Math.round((cpu / result.requests) * 1e7) / 10);
  return {
    ...result,
    serverCpuUsPerRequest: perRequestUs(serverCpu),
    postgresCpuUsPerRequest: perRequestUs(pgCpu),
    serverCpuPercent: Math.round((serverCpu / seconds) * 100),
    postgresCpuPercent: pgCpu === null ? null : Math.round((pgCpu / seconds) * 100),
  };
}

/**
 * A fresh set-up under `conns` connections (each from its own loopback address): a
 * closed loop (as fast as it answers), then a paced run (`pacedRate` GET/s offered in
 * all, the same for every set-up, so the CPU per request compares like with like).
 */
async function runOne(setup, conns, { warmMs, measureMs, pacedRate }) {
  const running = await startSetup(setup);
  try {
    const closed = await measure(running, { conns, warmMs, measureMs, names: 'user' });
    const serverRssMb = Math.round(running.servers.reduce((sum, s) => sum + rssMb(s.child.pid), 0) * 10) / 10;
    const paced = await measure(running, { conns, mode: pacedRate, warmMs: 1000, measureMs, names: 'paced' });
    return { ...closed, serverRssMb, paced };
  } finally {
    await running.cleanup();
  }
}

/** Presence across two servers on one cluster: WATCH propagation, then a third server SIGKILLed. */
async function runPresence(options) {
  const pg = await startPostgres();
  const servers = [];
  try {
    for (let i = 0; i < 3; i++) servers.push(await startVoipServer({ db: pg.url, port: await freePort(), serverId: `bench-presence-${i}` }));
    const [a, b, victim] = servers;
    const watch = await measureWatchPropagation({ regPort: a.port, remotePort: b.port, ...options.watch });
    console.error(
      `directory-pg WATCH propagation A->B: ${watch.crossServer.status} (${watch.crossServer.received}/${watch.crossServer.sent}, p50 ${ms(watch.crossServer.p50Ms)}, p99 ${ms(watch.crossServer.p99Ms)}); same server p99 ${ms(watch.sameServer.p99Ms)}`,
    );
    const kill = await measureKilledServerVanish({ victim, observerPort: b.port, ...options.kill });
    console.error(`directory-pg killed server's users leave B's LIST: ${kill.status}${kill.vanishMs !== null ? ` in ${(kill.vanishMs / 1000).toFixed(2)} s` : ''}`);
    return { watch, kill };
  } finally {
    for (const s of servers) await stopProcess(s.child);
    await pg.stop();
  }
}

function summarize(list) {
  const m = (key, of = (r) => r) => median(list.map((r) => of(r)[key]));
  const paced = (r) => r.paced;
  return {
    rounds: list.map((r) => r.requestsPerSecond),
    requestsPerSecond: m('requestsPerSecond'),
    getP50Ms: m('getP50Ms'),
    getP99Ms: m('getP99Ms'),
    serverCpuUsPerRequest: m('serverCpuUsPerRequest'),
    postgresCpuUsPerRequest: m('postgresCpuUsPerRequest'),
    serverCpuPercent: m('serverCpuPercent'),
    postgresCpuPercent: m('postgresCpuPercent'),
    loadGeneratorCpuPercent: m('loadGeneratorCpuPercent'),
    errorReplies: list.reduce((sum, r) => sum + r.errorReplies + r.paced.errorReplies, 0),
    paced: {
      mode: list[0].paced.mode,
      requestsPerSecond: m('requestsPerSecond', paced),
      getP50Ms: m('getP50Ms', paced),
      getP99Ms: m('getP99Ms', paced),
      serverCpuUsPerRequest: m('serverCpuUsPerRequest', paced),
      postgresCpuUsPerRequest: m('postgresCpuUsPerRequest', paced),
    },
    serverRssMb: Math.max(...list.map((r) => r.serverRssMb)),
  };
}

/**
 * Runs the part. The set-ups take turns, `rounds` times over at each size (the machine
 * is shared and noisy), and each figure is the median of its rounds. Without PostgreSQL
 * programs the PostgreSQL set-ups and the presence figures are skipped, with the reason.
 */
export async function runDirectoryPgBench({
  sizes = [100, 1000],
  rounds = 3,
  warmMs = 1500,
  measureMs = 4000,
  pacedRate = 2000,
  setups = SETUPS,
  presence: withPresence = true,
  watch = {},
  kill = {},
} = {}) {
  const date = new Date().toISOString();
  const loadAverageAtStart = loadavg()[0];
  let postgresSkipped = null;
  try {
    await (await startPostgres()).stop();
  } catch (error) {
    if (!(error instanceof PostgresUnavailableError)) throw error;
    postgresSkipped = error.message;
    console.error(`directory-pg: SKIPPING the PostgreSQL rows and the presence figures: ${postgresSkipped}`);
  }
  if (postgresSkipped) setups = setups.filter((s) => s === 'sqlite');
  const rows = [];
  for (const conns of sizes) {
    const runs = Object.fromEntries(setups.map((s) => [s, []]));
    for (let round = 0; round < rounds; round++) {
      for (const setup of setups) {
        const r = await runOne(setup, conns, { warmMs, measureMs, pacedRate });
        runs[setup].push(r);
        console.error(
          `directory-pg ${setup} @${conns} round ${round + 1}/${rounds}: ${r.requestsPerSecond} req/s, p99 ${r.getP99Ms?.toFixed(2)} ms, server ${r.serverCpuUsPerRequest} us/req, postgres ${r.postgresCpuUsPerRequest ?? 'n/a'} us/req, load gen ${r.loadGeneratorCpuPercent}%; paced ${pacedRate}/s: server ${r.paced.serverCpuUsPerRequest} us/req, postgres ${r.paced.postgresCpuUsPerRequest ?? 'n/a'} us/req, p99 ${r.paced.getP99Ms?.toFixed(2)} ms${r.errorReplies + r.paced.errorReplies ? `, ${r.errorReplies + r.paced.errorReplies} ERROR REPLIES` : ''}`,
        );
      }
    }
    rows.push({ connections: conns, ...Object.fromEntries(setups.map((s) => [s, summarize(runs[s])])) });
  }
  const presence = postgresSkipped || !withPresence ? null : await runPresence({ watch, kill });
  return { date, loadAverage: { start: loadAverageAtStart, end: loadavg()[0] }, rounds, pacedRate, serverIdFlag: serverTakes('--server-id'), postgresSkipped, rows, presence };
}

// Usage: dir-pg-bench.mjs [SIZES [ROUNDS [SETUPS]]], e.g. `dir-pg-bench.mjs 100,1000 3 postgres,postgres-2`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv[2] ? process.argv[2].split(',').map(Number) : undefined;
  const rounds = process.argv[3] ? Number(process.argv[3]) : undefined;
  // A third argument picks set-ups (comma-separated) and leaves the presence figures out.
  const setups = process.argv[4] ? process.argv[4].split(',') : undefined;
  for (const s of setups ?? []) if (!SETUPS.includes(s)) throw new Error(`unknown set-up ${s}: one of ${SETUPS.join(', ')}`);
  console.log(JSON.stringify(await runDirectoryPgBench({ sizes, rounds, ...(setups ? { setups, presence: false } : {}) }), null, 2));
}
