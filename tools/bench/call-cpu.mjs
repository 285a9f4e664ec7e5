#!/usr/bin/env node
// CPU per call: N calls in one process over loopback UDP, both ends of each call media from @voip/media (classic createCallMedia or v2 createSecureCallMedia), no loss.
//
// Each run is a child process of its own (a fresh heap, nothing left of the run
// before); `measureCallCpu` runs classic and v2 at the same frame size in alternation,
// round after round, so that a busy machine weighs on both alike, and gives their
// ratio per round. Pacing lateness: how late each pump timer fired against its
// deadline (deadlines from the frame index).
//
//   node tools/bench/call-cpu.mjs --mode classic|v2 --frame 512|160 --calls N [--seconds 8] [--warm 2] [--profile-dir DIR]
//
// prints one JSON line with the run's figures; with --profile-dir, node's CPU profile
// of the run (`--cpu-prof`) is written there, to see where the time goes.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createCallMedia, createSecureCallMedia } from '@voip/media';
import { createNullSink, createToneSource } from '@voip/media/internal';
import { MediaSealer, createMediaReceiver, openMedia } from '@voip/protocol/v2';
import { bindSocket, latenessRecordingClock } from './media-bench.mjs';
import { median, percentile } from './stats.mjs';

const here = fileURLToPath(import.meta.url);
const key = (seed) => ({ key: Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i) & 0xff), salt: Uint8Array.from({ length: 12 }, (_, i) => (seed * 7 + i) & 0xff) });

/** Both ends of call `i`, each on its own socket. */
async function openCall(i, mode, frameSamples, clock) {
  const [sa, sb] = await Promise.all([bindSocket(), bindSocket()]);
  const [pa, pb] = [sa.address().port, sb.address().port];
  const ends = [
    { source: createToneSource(440), sink: createNullSink(), clock, send: (d) => sa.send(d, pb, '127.0.0.1') },
    { source: createToneSource(523), sink: createNullSink(), clock, send: (d) => sb.send(d, pa, '127.0.0.1') },
  ];
  let media;
  if (mode === 'v2') {
    const [ab, ba] = [key(2 * i), key(2 * i + 1)];
    const common = { frameSamples, payloadType: 96 };
    media = [
      createSecureCallMedia({ ...ends[0], v2: { ...common, sendKey: ab, receiveKey: ba, ssrc: 1000 + i, peerSsrc: 5000 + i, firstSequence: i, firstTimestamp: i * 7 } }),
      createSecureCallMedia({ ...ends[1], v2: { ...common, sendKey: ba, receiveKey: ab, ssrc: 5000 + i, peerSsrc: 1000 + i, firstSequence: 2 * i, firstTimestamp: i * 11 } }),
    ];
  } else {
    media = ends.map((end) => createCallMedia(end));
  }
  sa.on('message', (m) => media[0].receive(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)));
  sb.on('message', (m) => media[1].receive(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)));
  return { media, sockets: [sa, sb] };
}

/** One run in this process: `calls` calls for `warmMs`, then measured for `measureMs`. */
export async function runCpu({ mode, frameSamples, calls, warmMs, measureMs }) {
  if (mode === 'classic' && frameSamples !== 512) throw new RangeError('classic calls send 512-sample frames only');
  const periodMs = (frameSamples * 1000) / 8000;
  const lateness = [];
  let measuring = false;
  const clock = latenessRecordingClock((ms) => measuring && lateness.push(ms));
  const opened = [];
  for (let i = 0; i < calls; i++) opened.push(await openCall(i, mode, frameSamples, clock));
  // Start the calls spread over one period, as independent calls would be.
  for (const [i, call] of opened.entries()) setTimeout(() => call.media.forEach((m) => m.start()), (i / calls) * periodMs);
  await new Promise((r) => setTimeout(r, warmMs));
  const before = opened.flatMap((c) => c.media.map((m) => m.stats()));
  measuring = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - t0;
  measuring = false;
  const after = opened.flatMap((c) => c.media.map((m) => m.stats()));
  await Promise.all(opened.flatMap((c) => c.media.map((m) => m.stop())));
  for (const c of opened) c.sockets.forEach((s) => s.close());
  const sum = (field) => after.reduce((n, s, k) => n + (s[field] ?? 0) - (before[k][field] ?? 0), 0);
  lateness.sort((x, y) => x - y);
  const sent = sum('packetsSent');
  const perCall = (us) => Number((((us / 1000 / elapsed) * 100) / calls).toFixed(4));
  return {
    mode,
    frameSamples,
    calls,
    cpuPercentPerCall: perCall(cpu.user + cpu.system),
    userPercentPerCall: perCall(cpu.user),
    systemPercentPerCall: perCall(cpu.system),
    packetsPerSecond: Math.round((sent / elapsed) * 1000),
    // CPU per packet sent (each is also received and played at the other end): the cost of carrying one frame.
    cpuUsPerPacket: Number(((cpu.user + cpu.system) / sent).toFixed(2)),
    // More than 0.5% of the frames due were skipped: the process could not keep up, and its CPU per call is capped.
    saturated: sum('framesSkipped') > 0.005 * ((2 * calls * elapsed) / periodMs),
    delivered: Number((sum('packetsReceived') / sent).toFixed(4)),
    framesSkipped: sum('framesSkipped'),
    packetsLate: sum('packetsLate'),
    packetsConcealed: sum('packetsConcealed'),
    pacingP50Ms: Number(percentile(lateness, 50).toFixed(2)),
    pacingP99Ms: Number(percentile(lateness, 99).toFixed(2)),
    pacingMaxMs: Number((lateness.at(-1) ?? NaN).toFixed(2)),
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
    // The machine's 1-minute load average at the end of the run (a shared machine weighs on the figures).
    load1: Number(loadavg()[0].toFixed(2)),
  };
}

/** One run in a child process; resolves with its JSON line. */
export function runCpuChild({ mode, frameSamples, calls, warmMs = 2000, measureMs = 8000, profileDir }) {
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...flags, here, '--mode', mode, '--frame', String(frameSamples), '--calls', String(calls), '--seconds', String(measureMs / 1000), '--warm', String(warmMs / 1000)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`call-cpu ${mode} ${frameSamples} x${calls} exited with ${code}`)),
    );
  });
}

/** CPU microseconds to seal and to open one v2 media packet of `frameSamples` samples (after a warm-up), in this process. */
export function cryptoCost(frameSamples, count = 5000) {
  const k = key(9);
  const sealer = new MediaSealer(k, { ssrc: 1, firstSequence: 0 });
  const payload = new Uint8Array(frameSamples * 2).fill(7);
  const packets = [];
  for (let i = 0; i < 2 * count; i++) packets.push(sealer.seal({ payloadType: 96, timestamp: i * frameSamples, payload }).value.bytes);
  const cpuUs = (fn) => {
    const t = process.cpuUsage();
    fn();
    const c = process.cpuUsage(t);
    return Number(((c.user + c.system) / count).toFixed(2));
  };
  const sealUs = cpuUs(() => {
    for (let i = 0; i < count; i++) sealer.seal({ payloadType: 96, timestamp: i * frameSamples, payload });
  });
  let receiver = createMediaReceiver(1);
  for (let i = 0; i < count; i++) receiver = openMedia(k, receiver, packets[i]).value.receiver;
  const openUs = cpuUs(() => {
    for (let i = count; i < 2 * count; i++) receiver = openMedia(k, receiver, packets[i]).value.receiver;
  });
  return { frameSamples, sealUs, openUs };
}

/**
 * The CPU part: at each size in `sizes`, `rounds` rounds of classic 512 then v2 512
 * (the ratios per round, per call and per packet, and their medians), v2 at 20 ms at each size, and `pacingCalls` v2
 * calls at 20 ms for the pacing figure.
 */
export async function measureCallCpu({ sizes = [100, 500], rounds = 3, pacingCalls = 200, warmMs = 2000, measureMs = 8000, log = console.error } = {}) {
  const run = async (mode, frameSamples, calls) => {
    const row = await runCpuChild({ mode, frameSamples, calls, warmMs, measureMs });
    log(
      `calls cpu ${mode} ${frameSamples} x${calls}: ${row.cpuPercentPerCall}% per call, ${row.cpuUsPerPacket} us per packet, pacing p99 ${row.pacingP99Ms} ms, skipped ${row.framesSkipped}${row.saturated ? ' (saturated)' : ''}`,
    );
    return row;
  };
  const ratios = [];
  const v2At20ms = [];
  for (const calls of sizes) {
    const pairs = [];
    for (let r = 0; r < rounds; r++) {
      const classic = await run('classic', 512, calls);
      const v2 = await run('v2', 512, calls);
      const ratio = Number((v2.cpuPercentPerCall / classic.cpuPercentPerCall).toFixed(2));
      pairs.push({ classic, v2, ratio, perPacketRatio: Number((v2.cpuUsPerPacket / classic.cpuUsPerPacket).toFixed(2)) });
    }
    ratios.push({
      calls,
      ratio: median(pairs.map((p) => p.ratio)),
      perPacketRatio: median(pairs.map((p) => p.perPacketRatio)),
      saturated: pairs.some((p) => p.classic.saturated || p.v2.saturated),
      rounds: pairs,
    });
    v2At20ms.push(await run('v2', 160, calls));
  }
  const pacing = await run('v2', 160, pacingCalls);
  return { ratios, v2At20ms, pacing, perPacket: [cryptoCost(160), cryptoCost(512)] };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string', default: 'v2' },
      frame: { type: 'string', default: '160' },
      calls: { type: 'string', default: '100' },
      seconds: { type: 'string', default: '8' },
      warm: { type: 'string', default: '2' },
      'profile-dir': { type: 'string' },
    },
  });
  if (!['v2', 'classic'].includes(values.mode)) throw new RangeError(`--mode v2 or classic, got ${values.mode}`);
  if (!['160', '512'].includes(values.frame)) throw new RangeError(`--frame 160 or 512, got ${values.frame}`);
  const options = {
    mode: values.mode,
    frameSamples: Number(values.frame),
    calls: Number(values.calls),
    warmMs: Number(values.warm) * 1000,
    measureMs: Number(values.seconds) * 1000,
  };
  if (values['profile-dir']) {
    console.log(JSON.stringify(await runCpuChild({ ...options, profileDir: values['profile-dir'] })));
  } else {
    console.log(JSON.stringify(await runCpu(options)));
  }
}
