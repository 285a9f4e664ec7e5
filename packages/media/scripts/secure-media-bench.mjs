#!/usr/bin/env node
// Secure media benchmark: N calls in this one process, each two call media over
// loopback UDP (a tone in, a null sink out), secure (createSecureCallMedia: sealed RTP,
// jitter buffer) or classic (createCallMedia). Prints the CPU per call and the pacing
// p99 (how late the send pump's timers run against their deadlines), and where the
// time goes in secure media (sealing, opening) from a separate timed loop.
//
//   node scripts/secure-media-bench.mjs [--mode secure|classic] [--calls 100,200] [--frame 160|512] [--seconds 10] [--warm 2]
//
// Needs a build (`npx tsc -p tsconfig.lib.json`): it runs dist/, the code a call runs.
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';
import { realClock } from '@voip/clock';
import { MediaSealer, createMediaReceiver, openMedia } from '@voip/protocol/v2';
import { createCallMedia, createSecureCallMedia } from '../dist/index.js';
import { createNullSink, createToneSource } from '../dist/internal.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'secure' },
    calls: { type: 'string', default: '100,200' },
    frame: { type: 'string', default: '160' },
    seconds: { type: 'string', default: '10' },
    warm: { type: 'string', default: '2' },
  },
});
const mode = values.mode;
const frameSamples = Number(values.frame);
if (!['secure', 'classic'].includes(mode)) throw new Error(`--mode secure or classic, got ${mode}`);
if (mode === 'classic' && frameSamples !== 512) throw new Error('createCallMedia sends 512-sample frames only');
if (frameSamples !== 160 && frameSamples !== 512) throw new Error(`--frame 160 or 512, got ${values.frame}`);
const periodMs = (frameSamples * 1000) / 8000;

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const key = (seed) => ({ key: Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i) & 0xff), salt: Uint8Array.from({ length: 12 }, (_, i) => (seed * 7 + i) & 0xff) });

function bindSocket() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

/** The real clock, recording how late each timer runs against its due time. */
function recordingClock(record) {
  return {
    now: () => realClock.now(),
    setTimeout(callback, delayMs) {
      const due = performance.now() + Math.max(0, delayMs);
      return realClock.setTimeout(() => {
        record(performance.now() - due);
        callback();
      }, delayMs);
    },
    clearTimeout: (handle) => realClock.clearTimeout(handle),
  };
}

async function openCall(i, clock) {
  const [sa, sb] = await Promise.all([bindSocket(), bindSocket()]);
  const [pa, pb] = [sa.address().port, sb.address().port];
  const sources = [createToneSource(440), createToneSource(523)];
  const sinks = [createNullSink(), createNullSink()];
  const sendA = (d) => sa.send(d, pb, '127.0.0.1');
  const sendB = (d) => sb.send(d, pa, '127.0.0.1');
  let a;
  let b;
  if (mode === 'secure') {
    const [ab, ba] = [key(2 * i), key(2 * i + 1)];
    const common = { frameSamples, payloadType: 96 };
    a = createSecureCallMedia({
      source: sources[0],
      sink: sinks[0],
      clock,
      send: sendA,
      v2: { ...common, sendKey: ab, receiveKey: ba, ssrc: 1000 + i, peerSsrc: 5000 + i, firstSequence: i, firstTimestamp: i * 7 },
    });
    b = createSecureCallMedia({
      source: sources[1],
      sink: sinks[1],
      clock,
      send: sendB,
      v2: { ...common, sendKey: ba, receiveKey: ab, ssrc: 5000 + i, peerSsrc: 1000 + i, firstSequence: 2 * i, firstTimestamp: i * 11 },
    });
  } else {
    a = createCallMedia({ source: sources[0], sink: sinks[0], clock, send: sendA });
    b = createCallMedia({ source: sources[1], sink: sinks[1], clock, send: sendB });
  }
  sa.on('message', (m) => a.receive(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)));
  sb.on('message', (m) => b.receive(new Uint8Array(m.buffer, m.byteOffset, m.byteLength)));
  return { media: [a, b], sockets: [sa, sb] };
}

async function run(calls, warmMs, measureMs) {
  const lateness = [];
  let measuring = false;
  const clock = recordingClock((ms) => measuring && lateness.push(ms));
  const opened = [];
  for (let i = 0; i < calls; i++) opened.push(await openCall(i, clock));
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
  const sum = (field) => after.reduce((n, s, k) => n + s[field] - before[k][field], 0);
  lateness.sort((x, y) => x - y);
  const sent = sum('packetsSent');
  const received = sum('packetsReceived');
  return {
    mode,
    frameSamples,
    calls,
    cpuPercentPerCall: Number(((((cpu.user + cpu.system) / 1000 / elapsed) * 100) / calls).toFixed(4)),
    userPercentPerCall: Number((((cpu.user / 1000 / elapsed) * 100) / calls).toFixed(4)),
    systemPercentPerCall: Number((((cpu.system / 1000 / elapsed) * 100) / calls).toFixed(4)),
    packetsPerSecond: Math.round((sent / elapsed) * 1000),
    delivered: Number((received / sent).toFixed(4)),
    framesSkipped: sum('framesSkipped'),
    packetsLost: sum('packetsLost'),
    packetsLate: sum('packetsLate'),
    packetsConcealed: sum('packetsConcealed'),
    pacingP50Ms: Number(percentile(lateness, 50).toFixed(2)),
    pacingP99Ms: Number(percentile(lateness, 99).toFixed(2)),
    pacingMaxMs: Number((lateness.at(-1) ?? NaN).toFixed(2)),
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
  };
}

/** Microseconds to seal and to open one packet of this frame size (after a warm-up). */
function cryptoCost() {
  const k = key(9);
  const sealer = new MediaSealer(k, { ssrc: 1, firstSequence: 0 });
  const payload = new Uint8Array(frameSamples * 2).fill(7);
  const packets = [];
  for (let i = 0; i < 3000; i++) packets.push(sealer.seal({ payloadType: 96, timestamp: i * frameSamples, payload }).value.bytes);
  let t = performance.now();
  for (let i = 0; i < 3000; i++) sealer.seal({ payloadType: 96, timestamp: i * frameSamples, payload });
  const sealUs = ((performance.now() - t) / 3000) * 1000;
  let receiver = createMediaReceiver(1);
  t = performance.now();
  for (const p of packets) receiver = openMedia(k, receiver, p).value.receiver;
  const openUs = ((performance.now() - t) / 3000) * 1000;
  return { sealUs: Number(sealUs.toFixed(2)), openUs: Number(openUs.toFixed(2)) };
}

const rows = [];
for (const calls of values.calls.split(',').map(Number)) {
  const row = await run(calls, Number(values.warm) * 1000, Number(values.seconds) * 1000);
  console.error(
    `${mode} ${frameSamples} x${calls}: cpu/call ${row.cpuPercentPerCall}% (user ${row.userPercentPerCall}%, system ${row.systemPercentPerCall}%)  pacing p99 ${row.pacingP99Ms} ms  max ${row.pacingMaxMs} ms  skipped ${row.framesSkipped}  late ${row.packetsLate}  concealed ${row.packetsConcealed}`,
  );
  rows.push(row);
}
console.log(JSON.stringify({ rows, ...(mode === 'secure' ? { perPacket: cryptoCost() } : {}) }, null, 2));
