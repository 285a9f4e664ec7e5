// Renders the `calls` part of the benchmark results (call-bench.mjs) as a Markdown section with the targets beside the figures.
const fmt = (n, digits = 2) => (n === null || n === undefined ? 'n/a' : Number(n).toFixed(digits));

const PROFILE_NAMES = {
  none: 'none',
  'loss5-jitter30': '5% random loss + 30 ms jitter',
  burst10: '10% burst loss (Gilbert-Elliott, mean burst 3.3)',
  loss20: '20% random loss',
};

/** Markdown lines for `calls` (the object runCallBench resolves with). */
export function renderCallSection(calls) {
  const lines = [
    '## Calls: classic and v2 side by side',
    '',
    `Real \`Phone\`s (\`@voip/session\`) on loopback UDP, every datagram of every call through the impairment relay (\`tools/impairment/relay.mjs\`, seeded), the same profile both ways; our directory server in a child process. Classic and v2 calls of a profile run at the same time. ${calls.durationS ? `The part took ${calls.durationS} s.` : ''}${calls.machineLoad ? ` 1-minute load average ${calls.machineLoad.before} before and ${calls.machineLoad.after} after, on ${calls.machineLoad.cores} cores: figures from a shared machine, compare the two protocols within the run rather than across runs.` : ''}`,
    '',
    '### Set-up',
    '',
    'Each call is a fresh pair of phones and a fresh relay; set-up time is from `call()` to the caller connected, and a call counts when both ends report `connected` within 15 s.',
    '',
    '| profile | protocol | connected | set-up p50 ms | set-up p99 ms | max ms | failures |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of calls.setup ?? []) {
    const failures =
      Object.entries(r.failures)
        .map(([reason, n]) => `${reason}: ${n}`)
        .join(', ') || '-';
    lines.push(
      `| ${PROFILE_NAMES[r.profile] ?? r.profile} | ${r.protocol} | ${r.connected}/${r.calls} | ${fmt(r.setupP50Ms, 1)} | ${fmt(r.setupP99Ms, 1)} | ${fmt(r.setupMaxMs, 1)} | ${failures} |`,
    );
  }
  lines.push(
    '',
    '### Playout',
    '',
    "The caller's microphone is a stamped tone, the callee's speaker classifies every frame it is given: played as received, concealed (synthesised), or silent. Classic: 512-sample frames (64 ms), lost ones played as silence; v2: 20 ms frames through the jitter buffer with concealment. Loss: the sender's frames never played as received (late, lost or skipped to shrink the delay). Delay beyond packetization: from the source's read of a frame to its write at the speaker. E-model (ITU-T G.107, `tools/bench/e-model.mjs`): mouth-to-ear = frame + the median delay beyond packetization, the measured loss and its burst ratio, Bpl 4.3 for classic (silence) and 25.1 for v2 (concealment).",
    '',
    '| profile | protocol | frames | played % | concealed % | silent % | loss % | BurstR | delay p50 ms | delay p99 ms | R | MOS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const r of calls.playout ?? []) {
    const d = r.delayBeyondPacketizationMs;
    lines.push(
      `| ${PROFILE_NAMES[r.profile] ?? r.profile} | ${r.protocol} | ${r.framesPlayed} | ${fmt(r.playedPercent)} | ${fmt(r.concealedPercent)} | ${fmt(r.silentPercent)} | ${fmt(r.lossPercent)} | ${fmt(r.burstR)} | ${fmt(d.p50, 1)} | ${fmt(d.p99, 1)} | ${fmt(r.eModel?.r, 1)} | ${fmt(r.eModel?.mos)} |`,
    );
  }
  const cpu = calls.cpu;
  if (cpu) {
    lines.push(
      '',
      '### CPU per call',
      '',
      'N calls in one process over loopback UDP, both ends of each call media from `@voip/media` (tone in, null sink out), no loss; each run in its own process, classic and v2 at 512 samples in alternation, round after round, and the ratio is the median of the rounds. CPU % is of one core (user + system); CPU per packet is the CPU of the run over the packets sent (each also received and played at the other end); a run is saturated when more than 0.5% of the frames due were skipped (the process could not keep up: its CPU per call is capped, compare per packet). Pacing: how late the pump timers fire against their deadlines. Load: the 1-minute load average of the machine at the end of the run.',
      '',
      '| calls | run | frame | CPU % per call | CPU µs per packet | packets/s | pacing p99 ms | pacing max ms | frames skipped | RSS MB | load |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    const row = (calls, label, r) =>
      lines.push(
        `| ${calls} | ${label} | ${r.frameSamples} | ${fmt(r.cpuPercentPerCall, 3)}${r.saturated ? ' (saturated)' : ''} | ${fmt(r.cpuUsPerPacket, 1)} | ${r.packetsPerSecond} | ${fmt(r.pacingP99Ms)} | ${fmt(r.pacingMaxMs)} | ${r.framesSkipped} | ${r.rssMb} | ${fmt(r.load1)} |`,
      );
    for (const { calls: n, rounds } of cpu.ratios) {
      for (const [i, p] of rounds.entries()) {
        row(n, `classic, round ${i + 1}`, p.classic);
        row(n, `v2, round ${i + 1} (ratio ${fmt(p.ratio)} per call, ${fmt(p.perPacketRatio)} per packet)`, p.v2);
      }
      const alone = cpu.v2At20ms.find((r) => r.calls === n);
      if (alone) row(n, 'v2 at 20 ms', alone);
    }
    row(cpu.pacing.calls, 'v2 at 20 ms (pacing)', cpu.pacing);
    if (cpu.perPacket)
      lines.push(
        '',
        `Sealing and opening one v2 packet (CPU µs, a timed loop in the bench's process): ${cpu.perPacket.map((p) => `${p.frameSamples} samples: seal ${fmt(p.sealUs)}, open ${fmt(p.openUs)}`).join('; ')}.`,
      );
  }
  if (calls.targets?.length) {
    lines.push('', '### Targets', '', '| target | measured | met |', '| --- | --- | --- |');
    for (const t of calls.targets) lines.push(`| ${t.target} | ${t.value ?? 'n/a'} | ${t.met === null ? 'n/a' : t.met ? 'yes' : 'no'} |`);
  }
  lines.push('');
  return lines;
}
