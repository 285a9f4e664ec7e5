#!/usr/bin/env node
// Directory benchmark: our server (memory and SQLite backends) against the bare
// baseline, same load, side by side in one run. Each server runs in its own process,
// the load generator in another, all on loopback.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

/** Starts a server process and resolves with its pid and port once it listens. */
function startServer(kind, dbDir) {
  const args = {
    baseline: [join(here, 'baseline-directory-server.mjs'), '0'],
    memory: [
      join(root, 'apps/server/bin/voip-server.js'),
      '--no-tui',
      '--log',
      'json',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      'memory',
      '--rate-limit',
      '0',
      '--max-conns-per-ip',
      '0',
    ],
    sqlite: [
      join(root, 'apps/server/bin/voip-server.js'),
      '--no-tui',
      '--log',
      'json',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--db',
      `sqlite:${join(dbDir, 'bench.db')}`,
      '--rate-limit',
      '0',
      '--max-conns-per-ip',
      '0',
    ],
  }[kind];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start: ${out}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        if (!/listen/i.test(line)) continue;
        const m = /"port"\s*:\s*(\d+)/.exec(line) ?? /:(\d+)\b/.exec(line);
        if (m) {
          clearTimeout(timer);
          child.stdout.removeAllListeners('data');
          child.stdout.resume();
          resolve({ child, port: Number(m[1]) });
          return;
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}: ${out}`)));
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  return Math.round(kb / 102.4) / 10;
}

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Runs the load generator once against a port and returns its figures. */
function load(port, conns, mode, warmMs, measureMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'directory-load.mjs'), '127.0.0.1', String(port), String(conns), String(warmMs), String(measureMs), '100', mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`load generator exited ${code}`))));
  });
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};

/** One server process: a closed-loop run, then (on the last round) a paced run. */
async function runOne(kind, conns, { warmMs, measureMs, pacedRate, paced }) {
  const dbDir = mkdtempSync(join(tmpdir(), 'voip-bench-'));
  const { child, port } = await startServer(kind, dbDir);
  try {
    const ticks0 = cpuTicks(child.pid);
    const closed = await load(port, conns, 'closed', warmMs, measureMs);
    const serverCpuPercent = Math.round(((cpuTicks(child.pid) - ticks0) / 100 / ((warmMs + measureMs) / 1000)) * 100);
    const rssLoadedMb = rssMb(child.pid);
    let pacedResult = null;
    let rssHeldMb = null;
    if (paced) {
      pacedResult = await load(port, conns, String(pacedRate), 1000, measureMs);
      rssHeldMb = rssMb(child.pid);
    }
    return { ...closed, serverCpuPercent, rssLoadedMb, rssHeldMb, paced: pacedResult };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
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
