#!/usr/bin/env node
// The call-quality rig: what a paced datagram stream suffers each way through the impairment relay, per profile and frame size.
//
// Two UDP endpoints on loopback with tools/impairment/relay.mjs between them: A sends
// to the relay (forward), B to the relay's upstream socket (backward). Each datagram
// carries its index and send time, so loss, loss bursts, reordering, duplicates and
// one-way delay are measured exactly (one process, one clock). This is the harness the
// classic/v2 call comparison plugs calls into: `startImpairedPath` gives a relay for a
// profile, `measureStream` the synthetic baseline a call is compared with.
// Usage: node tools/bench/call-quality-rig.mjs [--duration-ms N] [--seed N] [--frame-ms 20,64] [--profile NAME ...]
import dgram from 'node:dgram';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startRelay } from '../impairment/relay.mjs';
import { burstRatio, eModel } from './e-model.mjs';
import { rankPercentile } from './stats.mjs';

/** The impairment profiles, each applied to both directions by the relay. */
export const PROFILES = Object.freeze({
  none: Object.freeze({}),
  'loss5-jitter30': Object.freeze({ loss: 0.05, jitterMs: 30 }),
  // Gilbert: p / (p + r) = 10 % of packets lost, in bursts of 1 / r = 3.3 packets on average.
  burst10: Object.freeze({ burst: Object.freeze({ p: 0.3 / 9, r: 0.3 }) }),
  loss20: Object.freeze({ loss: 0.2 }),
});

/** Bytes of one frame of 8 kHz 16-bit mono PCM lasting `frameMs`. */
const frameBytes = (frameMs) => Math.round(frameMs * 16);

function bind() {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

/** Starts a relay on loopback that impairs both directions with `profile` (a name of {@link PROFILES} or a relay profile) on the way to `target`. */
export function startImpairedPath({ profile, target, seed = 1 }) {
  const resolved = typeof profile === 'string' ? PROFILES[profile] : profile;
  if (!resolved) throw new TypeError(`unknown profile ${profile}: one of ${Object.keys(PROFILES).join(', ')}`);
  return startRelay({ listen: { host: '127.0.0.1', port: 0 }, to: target, seed, profile: resolved });
}

/** Loss, bursts, reordering, duplicates and delay of one direction from what arrived. */
export function summarise(frameMs, sent, arrivals) {
  const seen = new Set();
  const delays = [];
  let duplicates = 0;
  let reordered = 0;
  let highest = -1;
  for (const { index, delayMs } of arrivals) {
    if (seen.has(index)) {
      duplicates++;
      continue;
    }
    seen.add(index);
    if (index < highest) reordered++;
    highest = Math.max(highest, index);
    delays.push(delayMs);
  }
  const lost = Array.from({ length: sent }, (_, i) => !seen.has(i));
  const bursts = {};
  let run = 0;
  for (const l of [...lost, false]) {
    if (l) run++;
    else if (run > 0) {
      bursts[run] = (bursts[run] ?? 0) + 1;
      run = 0;
    }
  }
  delays.sort((a, b) => a - b);
  const lossPercent = sent ? (100 * lost.filter(Boolean).length) / sent : 0;
  const burstR = burstRatio(lost);
  const round = (x) => (x === null ? null : Math.round(x * 100) / 100);
  const p99 = rankPercentile(delays, 0.99);
  return {
    frameMs,
    sent,
    received: seen.size,
    lossPercent: round(lossPercent),
    burstLengths: bursts,
    maxBurst: Math.max(0, ...Object.keys(bursts).map(Number)),
    burstR: round(burstR),
    duplicates,
    reordered,
    delayMs: { p50: round(rankPercentile(delays, 0.5)), p99: round(p99), max: round(delays.at(-1) ?? null) },
    // A playout that waits for the p99 delay: mouth-to-ear is packetization plus that wait.
    eModel: p99 === null ? null : Object.fromEntries(Object.entries(eModel({ delayMs: frameMs + p99, lossPercent, burstR })).map(([k, v]) => [k, round(v)])),
  };
}

/** Sends `count` frames from `socket` to `to`, paced from the start by frame index (no drift). */
async function pace(socket, to, frameMs, count) {
  const start = performance.now();
  const size = frameBytes(frameMs);
  for (let i = 0; i < count; i++) {
    const wait = start + i * frameMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const payload = Buffer.alloc(size);
    payload.writeUInt32BE(i, 0);
    payload.writeDoubleBE(performance.now(), 4);
    socket.send(payload, to.port, to.host);
  }
}

function collect(socket, arrivals) {
  socket.on('message', (d) => arrivals.push({ index: d.readUInt32BE(0), delayMs: performance.now() - d.readDoubleBE(4) }));
}

/**
 * Streams `durationMs` of `frameMs` frames each way through a relay with `profile`
 * and measures both directions; resolves with `{ profile, frameMs, forward, backward, relay }`.
 */
export async function measureStream({ profile, frameMs, durationMs, seed = 1 }) {
  const [a, b] = await Promise.all([bind(), bind()]);
  const relay = await startImpairedPath({ profile, seed, target: { host: '127.0.0.1', port: b.address().port } });
  const forward = [];
  const backward = [];
  collect(b, forward);
  collect(a, backward);
  const count = Math.floor(durationMs / frameMs);
  try {
    await Promise.all([pace(a, relay.address, frameMs, count), pace(b, relay.upstream, frameMs, count)]);
    // Let the relay's delayed copies land: the largest hold-back is jitter plus reordering.
    const p = typeof profile === 'string' ? PROFILES[profile] : profile;
    await new Promise((resolve) => setTimeout(resolve, (p.delayMs ?? 0) + (p.jitterMs ?? 0) + (p.reorder ? (p.reorderMs ?? 50) : 0) + 200));
    return {
      profile: typeof profile === 'string' ? profile : 'custom',
      frameMs,
      forward: summarise(frameMs, count, forward),
      backward: summarise(frameMs, count, backward),
      relay: relay.counters(),
    };
  } finally {
    await relay.close();
    a.close();
    b.close();
  }
}

/** Every profile at every frame size, one after the other (so they do not share the CPU). */
export async function runCallQualityRig({ profiles = Object.keys(PROFILES), frameSizes = [20, 64], durationMs = 10_000, seed = 1 } = {}) {
  const results = [];
  for (const profile of profiles) for (const frameMs of frameSizes) results.push(await measureStream({ profile, frameMs, durationMs, seed }));
  return { durationMs, seed, profiles: Object.fromEntries(profiles.map((p) => [p, PROFILES[p]])), results };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'duration-ms': { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'frame-ms': { type: 'string', default: '20,64' },
      profile: { type: 'string', multiple: true },
    },
  });
  const out = await runCallQualityRig({
    profiles: values.profile,
    frameSizes: values['frame-ms'].split(',').map(Number),
    durationMs: Number(values['duration-ms']),
    seed: Number(values.seed),
  });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}
