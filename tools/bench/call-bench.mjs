#!/usr/bin/env node
// The `calls` part of `npm run bench`: classic and v2 calls side by side through the impairment relay (set-up, playout, E-model), then CPU per call and pacing, with the targets judged.
//
// Usage: node tools/bench/call-bench.mjs [--quick]   (prints the JSON; run-all.mjs writes it to bench/)
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { PROFILES } from './call-quality-rig.mjs';
import { measureCallCpu } from './call-cpu.mjs';
import { startDirectory } from './call-phones.mjs';
import { measurePlayout } from './call-playout.mjs';
import { measureSetup } from './call-setup.mjs';

const PROTOCOLS = ['classic', 'v2'];

/** The targets, judged on the figures. */
export function judgeTargets({ setup, playout, cpu }) {
  const at = (rows, protocol, profile) => rows?.find((r) => r.protocol === protocol && r.profile === profile);
  const targets = [];
  if (setup) {
    const v2 = at(setup, 'v2', 'loss20');
    targets.push({ target: 'v2 set-up >= 99/100 at 20% loss each way', value: v2 && `${v2.connected}/${v2.calls}`, met: v2 ? v2.connected >= 0.99 * v2.calls : null });
  }
  if (playout) {
    const v2 = at(playout, 'v2', 'loss5-jitter30');
    targets.push({
      target: 'v2 at 5% loss + 30 ms jitter: no lost frame played as silence',
      value: v2 && `${v2.silentFrames} silent frames`,
      met: v2 ? v2.silentFrames === 0 : null,
    });
    const p99 = v2?.delayBeyondPacketizationMs.p99;
    targets.push({ target: 'v2 at 5% loss + 30 ms jitter: delay beyond packetization p99 < 80 ms', value: v2 && `${p99} ms`, met: v2 ? p99 !== null && p99 < 80 : null });
  }
  if (cpu) {
    for (const { calls, ratio, perPacketRatio, saturated } of cpu.ratios) {
      const value = `${ratio}x per call, ${perPacketRatio}x per packet${saturated ? ' (saturated: frames skipped, CPU per call capped)' : ''}`;
      targets.push({ target: `v2 CPU per call <= 2x classic at 512 samples, ${calls} calls`, value, met: ratio <= 2 });
    }
    const { calls, pacingP99Ms, framesSkipped } = cpu.pacing;
    targets.push({ target: `${calls} v2 calls at 20 ms in one process: pacing p99 < 5 ms`, value: `${pacingP99Ms} ms (${framesSkipped} frames skipped)`, met: pacingP99Ms < 5 });
  }
  return targets;
}

/**
 * Runs the part: for every profile, set-up (`setupCalls` calls of each protocol,
 * `concurrency` of each at a time) and playout (`playoutCalls` calls of each for
 * `playoutMs`), classic and v2 at the same time; then the CPU runs (one after the other,
 * each in its own process).
 */
export async function runCallBench({
  profiles = Object.keys(PROFILES),
  setupCalls = 100,
  concurrency = 20,
  playoutCalls = 4,
  playoutMs = 10_000,
  cpu = {},
  log = console.error,
} = {}) {
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const directory = await startDirectory();
  const setup = [];
  const playout = [];
  try {
    for (const profile of profiles) {
      const rows = await Promise.all(PROTOCOLS.map((protocol) => measureSetup({ directoryPort: directory.port, protocol, profile, calls: setupCalls, concurrency })));
      for (const r of rows) log(`calls set-up ${r.protocol} ${profile}: ${r.connected}/${r.calls}, p50 ${r.setupP50Ms} ms, p99 ${r.setupP99Ms} ms`);
      setup.push(...rows);
    }
    for (const profile of profiles) {
      const rows = await Promise.all(PROTOCOLS.map((protocol) => measurePlayout({ directoryPort: directory.port, protocol, profile, calls: playoutCalls, measureMs: playoutMs })));
      for (const r of rows)
        log(
          `calls playout ${r.protocol} ${profile}: played ${r.playedPercent}%, concealed ${r.concealedPercent}%, silent ${r.silentPercent}%, delay p99 ${r.delayBeyondPacketizationMs.p99} ms, MOS ${r.eModel?.mos}`,
        );
      playout.push(...rows);
    }
  } finally {
    await directory.close();
  }
  const cpuResults = await measureCallCpu({ log, ...cpu });
  const results = { profiles: Object.fromEntries(profiles.map((p) => [p, PROFILES[p]])), setup, playout, cpu: cpuResults };
  // The machine may be shared: the 1-minute load average before and after, against the core count.
  const machineLoad = { cores: cpus().length, before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) };
  return { ...results, targets: judgeTargets(results), durationS: Math.round((performance.now() - started) / 1000), machineLoad };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  const options = quick
    ? { setupCalls: 10, concurrency: 5, playoutCalls: 2, playoutMs: 4000, cpu: { sizes: [50], rounds: 1, pacingCalls: 50, warmMs: 1000, measureMs: 3000 } }
    : {};
  console.log(JSON.stringify(await runCallBench(options), null, 2));
}
