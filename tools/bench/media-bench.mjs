#!/usr/bin/env node
// Media benchmark: N simultaneous calls in this one process over loopback UDP, each
// side a tone source and a null sink, through @voip/media's createCallMedia (the code
// a real call runs). Frames are stamped at capture so the receiving sink can measure
// the latency added beyond packetization, and capture times give the pacing error.
import dgram from 'node:dgram';
import { realClock } from '@voip/clock';
import { createCallMedia } from '@voip/media';
import { createNullSink, createToneSource } from '@voip/media/internal';
import { percentile } from './stats.mjs';

const MARK = 0x5a5a;
const PERIOD_MS = 64;

/** A tone source that stamps each frame (marker, index) and logs when it was taken. */
function stampedSource(direction) {
  const tone = createToneSource(440);
  let index = 0;
  return {
    format: tone.format,
    label: 'bench-tone',
    readFrame() {
      const frame = tone.readFrame();
      const now = performance.now();
      direction.readAt.push(now);
      frame[0] = MARK;
      frame[1] = index & 0x7fff;
      frame[2] = index >> 15;
      index++;
      return frame;
    },
    close: () => tone.close(),
  };
}

/** A null sink that reads stamps back and records the added latency. */
function measuringSink(direction) {
  const inner = createNullSink();
  return {
    format: inner.format,
    label: 'bench-null',
    writeFrame(frame) {
      inner.writeFrame(frame);
      if (frame[0] !== MARK) return;
      const index = frame[1] + frame[2] * 0x8000;
      direction.received++;
      direction.got[index] = 1;
      const readAt = direction.readAt[index];
      if (readAt !== undefined && direction.measuring) direction.latencies.push(performance.now() - readAt);
    },
    close: () => inner.close(),
  };
}

/** A UDP socket bound to an ephemeral port of 127.0.0.1. */
export function bindSocket() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

/** The real clock, recording how late every timer fires against its due time. */
export function latenessRecordingClock(record) {
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

async function openCall(directions, clock) {
  const [a, b] = await Promise.all([bindSocket(), bindSocket()]);
  const ab = { readAt: [], got: [], latencies: [], received: 0, measuring: false };
  const ba = { readAt: [], got: [], latencies: [], received: 0, measuring: false };
  directions.push(ab, ba);
  const portA = a.address().port;
  const portB = b.address().port;
  const mediaA = createCallMedia({ source: stampedSource(ab), sink: measuringSink(ba), send: (d) => a.send(d, portB, '127.0.0.1'), clock });
  const mediaB = createCallMedia({ source: stampedSource(ba), sink: measuringSink(ab), send: (d) => b.send(d, portA, '127.0.0.1'), clock });
  a.on('message', (msg) => mediaA.receive(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength)));
  b.on('message', (msg) => mediaB.receive(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength)));
  return { media: [mediaA, mediaB], sockets: [a, b] };
}

/** Runs N calls for warmMs + measureMs; returns the figures. */
async function runOnce(calls, warmMs, measureMs) {
  const directions = [];
  const opened = [];
  const lateness = [];
  let measuringLateness = false;
  const clock = latenessRecordingClock((ms) => measuringLateness && lateness.push(ms));
  for (let i = 0; i < calls; i++) opened.push(await openCall(directions, clock));
  // Start the pumps spread over one period, as independent calls would be.
  for (const [i, call] of opened.entries()) setTimeout(() => call.media.forEach((m) => m.start()), (i / calls) * PERIOD_MS);
  await new Promise((r) => setTimeout(r, warmMs));
  for (const d of directions) d.measuring = true;
  measuringLateness = true;
  const measureFrom = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, measureMs));
  const cpu = process.cpuUsage(cpu0);
  const elapsed = performance.now() - measureFrom;
  for (const d of directions) d.measuring = false;
  measuringLateness = false;
  const rssMb = Math.round(process.memoryUsage().rss / 104857.6) / 10;
  const stopAt = performance.now();
  await Promise.all(opened.flatMap((c) => c.media.map((m) => m.stop())));
  await new Promise((r) => setTimeout(r, 300)); // let datagrams in flight land
  let lost = 0;
  let dropped = 0;
  let framesSent = 0;
  let skipped = 0;
  const latencies = [];
  for (const d of directions) {
    framesSent += d.readAt.length;
    latencies.push(...d.latencies);
  }
  for (const call of opened) {
    for (const m of call.media) {
      const s = m.stats();
      lost += s.packetsLost;
      dropped += s.packetsDropped;
      skipped += s.framesSkipped;
    }
    call.sockets.forEach((s) => s.close());
  }
  // Frames sent but never written at the peer's sink, counted directly; frames taken
  // in the last 200 ms before the calls stopped may still have been in flight.
  let undelivered = 0;
  for (const d of directions) {
    for (let i = 0; i < d.readAt.length; i++) if (d.readAt[i] < stopAt - 200 && !d.got[i]) undelivered++;
  }
  lateness.sort((x, y) => x - y);
  latencies.sort((x, y) => x - y);
  return {
    calls,
    cpuPercentPerCall: (((cpu.user + cpu.system) / 1000 / elapsed) * 100) / calls,
    framesSent,
    lost: undelivered,
    lossEstimatedByReceivers: lost,
    framesSkippedBySenders: skipped,
    dropped,
    pacingP99Ms: percentile(lateness, 99),
    pacingMaxMs: lateness.at(-1) ?? null,
    addedLatencyP50Ms: percentile(latencies, 50),
    addedLatencyP99Ms: percentile(latencies, 99),
    rssMb,
  };
}

/** The media benchmark over several call counts. */
export async function runMediaBench({ sizes = [10, 100, 500], warmMs = 2000, measureMs = 10000 } = {}) {
  const rows = [];
  for (const calls of sizes) {
    const row = await runOnce(calls, warmMs, measureMs);
    console.error(
      `media ${calls} calls: cpu/call ${row.cpuPercentPerCall.toFixed(3)}%, lost ${row.lost}, skipped ${row.framesSkippedBySenders}, dropped ${row.dropped}, pacing p99 ${row.pacingP99Ms?.toFixed(2)} ms, latency p99 ${row.addedLatencyP99Ms?.toFixed(2)} ms, rss ${row.rssMb} MB`,
    );
    rows.push(row);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv[2] ? process.argv[2].split(',').map(Number) : undefined;
  console.log(JSON.stringify(await runMediaBench({ sizes }), null, 2));
}
