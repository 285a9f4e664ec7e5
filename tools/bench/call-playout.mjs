// Playout through the impairment relay: what the callee's speaker plays of the caller's microphone, frame by frame, in real calls between Phones.
//
// The caller's source is a 440 Hz tone whose frame i ends with a stamp (a mark, i and a
// check word) and logs when it was read; the callee's sink classifies every frame it is
// given: `played` (a frame as sent: its stamp checks and every sample after the first
// PLAYED_FROM equals the sent one, so the cross-fade after a concealment still counts as
// received), `silent` (all zero), or `concealed` (anything else: synthesised). Frames of
// 512 samples for classic calls, 160 (20 ms) for v2 calls. The delay beyond
// packetization is the sink's write time minus the source's read time of a played frame.
// Loss is counted on the sender's frames: read during the window and never played.
import { CODECS, burstRatio, eModel } from './e-model.mjs';
import { openPhonePair } from './call-phones.mjs';
import { rankPercentile } from './stats.mjs';

const MARK = 0x5a5a;
/** Samples at the start of a frame that concealment may cross-fade into a received frame (a quarter of the longest pitch period, 120). */
const PLAYED_FROM = 32;
const SAMPLE_RATE = 8000;

const check = (i) => (Math.imul(i, 0x9e3779b1) >>> 17) & 0x7fff;

/** The samples of frame `i` of `n` as sent: the tone, then the stamp in the last four samples. */
function sentFrame(i, n) {
  const frame = new Int16Array(n);
  for (let k = 0; k < n; k++) frame[k] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (i * n + k)) / SAMPLE_RATE));
  frame[n - 4] = MARK;
  frame[n - 3] = i & 0x7fff;
  frame[n - 2] = (i >> 15) & 0x7fff;
  frame[n - 1] = check(i);
  return frame;
}

/** The stamped source of one direction: `log.readAt[i]` is when frame i was taken. */
function stampedSource(n, log) {
  let i = 0;
  return {
    format: { sampleRate: SAMPLE_RATE, samplesPerFrame: n },
    label: 'stamped-tone',
    readFrame() {
      log.readAt.push(performance.now());
      return sentFrame(i++, n);
    },
    close: async () => {},
  };
}

/** The classifying sink of one direction. */
function classifyingSink(n, log) {
  return {
    format: { sampleRate: SAMPLE_RATE, samplesPerFrame: n },
    label: 'classifying-sink',
    writeFrame(frame) {
      const now = performance.now();
      if (frame.length !== n) throw new Error(`sink got ${frame.length} samples, expected ${n}`);
      const inWindow = log.measuring;
      const i = frame[n - 4] === MARK ? frame[n - 3] + frame[n - 2] * 0x8000 : -1;
      let kind = 'concealed';
      if (i >= 0 && frame[n - 1] === check(i) && i < log.readAt.length) {
        const sent = sentFrame(i, n);
        let same = true;
        for (let k = PLAYED_FROM; k < n && same; k++) same = frame[k] === sent[k];
        if (same) kind = 'played';
      }
      if (kind === 'concealed' && frame.every((s) => s === 0)) kind = 'silent';
      if (kind === 'played') {
        log.played[i] = 1;
        if (inWindow) log.delays.push(now - log.readAt[i]);
      }
      if (inWindow) log.kinds[kind]++;
    },
    close: async () => {},
  };
}

const round = (x, d = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** d) / 10 ** d);

/**
 * `calls` calls of `protocol` on `profile`, each talking for `warmMs + measureMs`; the
 * caller's stream is classified at the callee during the last `measureMs`.
 */
export async function measurePlayout({ directoryPort, protocol, profile, calls = 4, warmMs = 2000, measureMs = 10_000, idBase = 0 }) {
  const n = protocol === 'v2' ? 160 : 512;
  const frameMs = (n * 1000) / SAMPLE_RATE;
  const logs = Array.from({ length: calls }, () => ({ readAt: [], played: [], delays: [], kinds: { played: 0, concealed: 0, silent: 0 }, measuring: false }));
  const pairs = [];
  try {
    for (let c = 0; c < calls; c++) {
      const audio = { caller: { input: stampedSource(n, logs[c]), output: 'null' }, callee: { input: 'silence', output: classifyingSink(n, logs[c]) } };
      pairs.push(await openPhonePair({ directoryPort, protocol, profile, seed: 500 + idBase + c, id: `p${idBase + c}`, audio }));
    }
    await Promise.all(pairs.map(async (p) => Promise.all([p.caller.call(p.calleeName), p.callee.once('connected')])));
    await new Promise((r) => setTimeout(r, warmMs));
    const from = logs.map((l) => l.readAt.length);
    for (const l of logs) l.measuring = true;
    await new Promise((r) => setTimeout(r, measureMs));
    for (const l of logs) l.measuring = false;
    const to = logs.map((l) => l.readAt.length);
    // Frames read in the window's last 500 ms may still be on their way: leave them out of the loss trace.
    const tail = Math.ceil(500 / frameMs);
    await new Promise((r) => setTimeout(r, 600));
    const lost = [];
    const delays = [];
    const kinds = { played: 0, concealed: 0, silent: 0 };
    for (const [c, l] of logs.entries()) {
      for (let i = from[c]; i < to[c] - tail; i++) lost.push(!l.played[i]);
      delays.push(...l.delays);
      for (const k of Object.keys(kinds)) kinds[k] += l.kinds[k];
    }
    delays.sort((a, b) => a - b);
    const total = kinds.played + kinds.concealed + kinds.silent;
    const lossPercent = lost.length ? (100 * lost.filter(Boolean).length) / lost.length : 0;
    const p50 = rankPercentile(delays, 0.5);
    const codec = protocol === 'v2' ? 'g711-plc' : 'g711';
    const e = p50 === null ? null : eModel({ delayMs: frameMs + p50, lossPercent, burstR: burstRatio(lost), codec });
    return {
      protocol,
      profile,
      calls,
      frameMs,
      framesPlayed: total,
      playedPercent: round((100 * kinds.played) / total),
      concealedPercent: round((100 * kinds.concealed) / total),
      silentPercent: round((100 * kinds.silent) / total),
      silentFrames: kinds.silent,
      lossPercent: round(lossPercent),
      burstR: round(burstRatio(lost)),
      delayBeyondPacketizationMs: { p50: round(p50), p99: round(rankPercentile(delays, 0.99)), max: round(delays.at(-1) ?? null) },
      eModel: e && { codec, bpl: CODECS[codec].bpl, r: round(e.r, 1), mos: round(e.mos) },
    };
  } finally {
    for (const p of pairs) p.caller.hangup();
    await Promise.all(pairs.map((p) => p.close()));
  }
}
