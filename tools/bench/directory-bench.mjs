#!/usr/bin/env node
// Directory benchmark: our server (memory and SQLite backends) against the bare
// baseline, same load, side by side in one run. Each server runs in its own process,
// the load generator in another, all on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLoadGenerator } from './dir-load-run.mjs';
import { cpuSeconds, rssMb } from './dir-proc.mjs';
import { startListening, startVoipServer, stopProcess } from './dir-servers.mjs';
import { median } from './stats.mjs';

/** Starts a server process and resolves with its child and port once it listens. */
function startServer(kind, dbDir) {
  if (kind === 'baseline') return startListening(kind, [join(import.meta.dirname, 'baseline-directory-server.mjs'), '0']);
  return startVoipServer({ db: kind === 'memory' ? 'memory' : `sqlite:${join(dbDir, 'bench.db')}` });
}

/** Runs the load generator once against a port and returns its figures. */
const load = (port, conns, mode, warmMs, measureMs) => runLoadGenerator({ ports: [port], conns, mode, warmMs, measureMs });

/** One server process: a closed-loop run, then (on the last round) a paced run. */
async function runOne(kind, conns, { warmMs, measureMs, pacedRate, paced }) {
  const dbDir = mkdtempSync(join(tmpdir(), 'voip-bench-'));
  const { child, port } = await startServer(kind, dbDir);
  try {
    const cpu0 = cpuSeconds(child.pid);
    const closed = await load(port, conns, 'closed', warmMs, measureMs);
    const serverCpuPercent = Math.round(((cpuSeconds(child.pid) - cpu0) / ((warmMs + measureMs) / 1000)) * 100);
    const rssLoadedMb = rssMb(child.pid);
    let pacedResult = null;
    let rssHeldMb = null;
    if (paced) {
      pacedResult = await load(port, conns, String(pacedRate), 1000, measureMs);
      rssHeldMb = rssMb(child.pid);
    }
    return { ...closed, serverCpuPercent, rssLoadedMb, rssHeldMb, paced: pacedResult };
  } finally {
    await stopProcess(child);
    rmSync(dbDir, { recursive: true, force: true });
  }
}

/**
 * Runs the directory benchmark; returns rows for the report. The three servers take
 * turns, `rounds` times over (the machine is shared and noisy: interleaving spreads
 * the noise evenly), and each figure is the median of its rounds.
 */
export async function runDirectoryBench({ sizes = [100, 1000, 10000], rounds = 3, warmMs = 1500, measureMs = 4000, pacedRate = 10000 } = {}) {
  const rows = [];
  for (const conns of sizes) {
    const runs = { baseline: [], memory: [], sqlite: [] };
    const roundsHere = conns > 1000 ? 1 : rounds;
    for (let round = 0; round < roundsHere; round++) {
      for (const kind of ['baseline', 'memory', 'sqlite']) {
        const r = await runOne(kind, conns, { warmMs, measureMs, pacedRate, paced: round === roundsHere - 1 });
        runs[kind].push(r);
        console.error(
          `directory ${kind} @${conns} round ${round + 1}/${roundsHere}: ${r.requestsPerSecond} req/s, p99 ${r.getP99Ms?.toFixed(2)} ms, rss ${r.rssLoadedMb} MB${r.paced ? `; paced ${pacedRate}/s p99 ${r.paced.getP99Ms?.toFixed(2)} ms, rss held ${r.rssHeldMb} MB` : ''}`,
        );
      }
    }
    const byKind = {};
    for (const [kind, list] of Object.entries(runs)) {
      const last = list[list.length - 1];
      byKind[kind] = {
        rounds: list.map((r) => r.requestsPerSecond),
        requestsPerSecond: median(list.map((r) => r.requestsPerSecond)),
        getP50Ms: median(list.map((r) => r.getP50Ms)),
        getP99Ms: median(list.map((r) => r.getP99Ms)),
        serverCpuPercent: median(list.map((r) => r.serverCpuPercent)),
        loadGeneratorCpuPercent: median(list.map((r) => r.loadGeneratorCpuPercent)),
        serverRssMb: Math.max(...list.map((r) => r.rssLoadedMb)),
        rssHeldMb: last.rssHeldMb,
        paced: last.paced,
      };
    }
    for (const kind of ['memory', 'sqlite']) {
      byKind[kind].ratioToBaseline = Math.round((byKind[kind].requestsPerSecond / byKind.baseline.requestsPerSecond) * 100) / 100;
    }
    rows.push({ connections: conns, ...byKind });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv[2] ? process.argv[2].split(',').map(Number) : undefined;
  console.log(JSON.stringify(await runDirectoryBench({ sizes }), null, 2));
}
