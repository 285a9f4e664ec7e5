// Renders benchmark results as a Markdown report with the targets beside the figures.
import { renderCallSection } from './call-report.mjs';
import { renderDirectoryPg } from './dir-pg-report.mjs';

const fmt = (n, digits = 2) => (n === null || n === undefined ? 'n/a' : Number(n).toFixed(digits));

/** Markdown for the results object written by run-all.mjs. */
export function renderReport(results) {
  const lines = [
    `# Benchmark results`,
    '',
    `Run ${results.date} on ${results.machine.cpus} cores (${results.machine.cpuModel}), ${results.machine.memoryGb} GiB, Node ${results.machine.node}.`,
    '',
  ];
  if (results.dates)
    lines.push(
      `Figures by part: ${Object.entries(results.dates)
        .map(([part, date]) => `${part} ${date}`)
        .join(', ')}.`,
      '',
    );
  if (results.directory) {
    lines.push(
      '## Directory server',
      '',
      "Closed loop: every connection has one request in flight (GET, with one LIST in 100), so latency there is connections / throughput. The baseline is `tools/bench/baseline-directory-server.mjs` (node:net + JSON.parse + Map). The three servers take turns in the same run (three rounds at 100 and 1,000 connections, one at 10,000), each in its own process, the load generator in another; figures are medians of the rounds, the ratio is our median throughput over the baseline's. Paced: a fixed 10,000 GET/s offered over all connections, for latency under a realistic load. RSS loaded: at the end of the closed loop (the largest of the rounds); RSS held: after the paced run, connections open and registered.",
      '',
    );
    lines.push(
      '| connections | server | req/s (rounds) | ratio | GET p50 ms | GET p99 ms | paced p99 ms | RSS loaded MB | RSS held MB | server CPU % | load gen CPU % |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const row of results.directory) {
      for (const kind of ['baseline', 'memory', 'sqlite']) {
        const r = row[kind];
        lines.push(
          `| ${row.connections} | ${kind} | ${r.requestsPerSecond} (${r.rounds.join(', ')}) | ${kind === 'baseline' ? '1.00' : fmt(r.ratioToBaseline)} | ${fmt(r.getP50Ms)} | ${fmt(r.getP99Ms)} | ${r.paced ? fmt(r.paced.getP99Ms) : 'n/a'} | ${r.serverRssMb} | ${r.rssHeldMb ?? 'n/a'} | ${r.serverCpuPercent} | ${r.loadGeneratorCpuPercent} |`,
        );
      }
    }
    lines.push(
      '',
      'Targets: ratio >= 0.8 (memory) and >= 0.7 (SQLite) at 100 and 1,000 connections; p99 < 5 ms at 1,000 connections; 10,000 connections held under 200 MB RSS.',
      '',
    );
  }
  if (results.directoryPg) lines.push(...renderDirectoryPg(results.directoryPg));
  if (results.media) {
    lines.push(
      '## Media',
      '',
      "N simultaneous calls in one process over loopback UDP, each side a tone source and a null sink, through `createCallMedia`. Pacing lateness: how late each pump timer fired against its deadline (deadlines are t0 + i x 64 ms). Added latency: from a frame being taken from the source to its write at the peer's sink (beyond the 64 ms of packetization).",
      '',
    );
    lines.push(
      '| calls | CPU % per call | frames sent | lost (sent, never played) | skipped by senders | dropped | pacing p99 ms | pacing max ms | added latency p50 ms | added latency p99 ms | RSS MB |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of results.media) {
      lines.push(
        `| ${r.calls} | ${fmt(r.cpuPercentPerCall, 3)} | ${r.framesSent} | ${r.lost} | ${r.framesSkippedBySenders} | ${r.dropped} | ${fmt(r.pacingP99Ms)} | ${fmt(r.pacingMaxMs)} | ${fmt(r.addedLatencyP50Ms)} | ${fmt(r.addedLatencyP99Ms)} | ${r.rssMb} |`,
      );
    }
    lines.push('', 'Targets: 500 concurrent calls with no loss and pacing p99 < 2 ms; added latency p99 < 5 ms.', '');
  }
  if (results.calls) lines.push(...renderCallSection(results.calls));
  return `${lines.join('\n')}\n`;
}
