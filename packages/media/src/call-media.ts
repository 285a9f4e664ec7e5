import { CLASSIC_AUDIO, decodeClassicPcm, encodeClassicPcm } from '@voip/protocol';
import type { AudioSink, AudioSource } from './audio-port.js';
import { realClock, type Clock, type TimerHandle } from '@voip/clock';
import { AudioFormatMismatchError } from './errors.js';
import { allocateBytes, allocateFrame } from './frame-slab.js';
import { createFramePump, type FramePump } from './frame-pump.js';
import { applyGain, checkGain } from './gain.js';
import { levelDbfs } from './level.js';
import { confirmLoss, initialLossSchedule, scheduleArrival, type LossSchedule } from './loss-schedule.js';

/** Counters and meters of one call's audio, for a status line or a meter. */
export interface MediaStats {
  /** Datagrams handed to `send` (a failed send is counted in `sendErrors` too). */
  readonly packetsSent: number;
  /** Datagrams passed to `receive`, whatever became of them. */
  readonly packetsReceived: number;
  /** Frames estimated lost from arrival times against the stream's schedule (classic media has no sequence numbers). */
  readonly packetsLost: number;
  /** Silence frames played in place of lost ones (only as many as fit under the latency bound). */
  readonly framesConcealed: number;
  /** Datagrams received and not played: `droppedBadSize + droppedDuplicate + droppedOverflow`. */
  readonly packetsDropped: number;
  /** Datagrams that were not exactly 1024 bytes. */
  readonly droppedBadSize: number;
  /** Exact repeats of the previous datagram within half a period. */
  readonly droppedDuplicate: number;
  /** Frames dropped, oldest first, because the playout backlog was full (a burst). */
  readonly droppedOverflow: number;
  /** Frames the pump skipped after a stall. */
  readonly framesSkipped: number;
  /** Level of the last frame sent, dBFS (-Infinity for silence, while muted, or before any). */
  readonly inputLevelDbfs: number;
  /** Level of the last frame received, before the speaker gain, dBFS (-Infinity for silence or before any). */
  readonly outputLevelDbfs: number;
  /** 99th percentile lateness of the send pump, ms. */
  readonly pumpLatenessP99Ms: number;
  /** Worst lateness of the send pump, ms. */
  readonly pumpLatenessMaxMs: number;
  /** Audio waiting to be played (modeled sink backlog, playout queue and frames held for loss confirmation), in frames. */
  readonly playoutBacklogFrames: number;
  /** True once the source ended (or failed); silence is sent since. */
  readonly sourceEnded: boolean;
  /** Calls of `send` that threw. */
  readonly sendErrors: number;
  /** Calls of `sink.writeFrame` that threw. */
  readonly sinkErrors: number;
  /** Milliseconds since `start()` on the call media's clock (0 before it; frozen at `stop()`). */
  readonly durationMs: number;
}

/** Options of {@link createCallMedia}. */
export interface CallMediaOptions {
  /** The microphone side; closed by `stop()`. */
  readonly source: AudioSource;
  /** The speaker side; closed by `stop()`. */
  readonly sink: AudioSink;
  /**
   * Sends one 1024-byte classic audio datagram to the peer. The datagram is a view of
   * the frame sent (no copy): read it or queue it as is, never modify it; call media
   * does not touch it afterwards either.
   */
  send(datagram: Uint8Array): void;
  /** Defaults to {@link realClock}. */
  readonly clock?: Clock;
  /** Bound of the playout latency (sink backlog plus queue), in frames: default 8 (512 ms), at least 2. */
  readonly maxBacklogFrames?: number;
  /**
   * How long a frame that arrives behind schedule waits for frames queued behind it
   * (a receiver-side stall) before the missing frames are counted lost, in periods:
   * default 0.5, from 0 (decide at once) to 1. See {@link createCallMedia}.
   */
  readonly lossConfirmPeriods?: number;
  /** Told of send, sink and source failures (they are counted either way). */
  onError?(error: unknown): void;
}

/** The audio side of one classic call. */
export interface CallMedia {
  /** Starts the send pump. Idempotent. */
  start(): void;
  /** Handles one datagram from the peer (the caller has checked its source address). */
  receive(datagram: Uint8Array): void;
  /** Stops the pump, then closes the source and the sink (the call media owns both). Idempotent. */
  stop(): Promise<void>;
  /** A snapshot of the counters. */
  stats(): MediaStats;
  /**
   * Mutes or unmutes the microphone. While muted, frames still go out every 64 ms but
   * carry digital silence (the source is still read, so it stays aligned with real
   * time), so the peer sees an ordinary stream and its silence timeout never fires.
   */
  setMuted(muted: boolean): void;
  /** Whether the microphone is muted. */
  readonly muted: boolean;
  /**
   * Sets the speaker gain, from 0 (silent) to 2 (+6 dB); 1 leaves audio unchanged.
   * Applied to received PCM as it goes to the sink (frames already queued included),
   * saturated to int16. Throws a RangeError outside 0..2 or for a non-finite number.
   */
  setGain(gain: number): void;
  /** The speaker gain, 1 unless set. */
  readonly gain: number;
}

/** Frames the sink is fed ahead of playback; beyond, frames wait in the playout queue. */
const WRITE_AHEAD_FRAMES = 2;

/** Whether two datagrams of the same length are equal; frames of live audio differ within a few bytes, so a mismatch is found early. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The whole audio side of a classic call: a pump reads the source every 64 ms, encodes
 * s16le 1024-byte datagrams and sends them; received datagrams are checked, decoded
 * and played. Classic media has no sequence numbers, so the receiver works from
 * arrival times: an exact duplicate within half a period is dropped, and losses are
 * told from the stream's schedule, not from the gap between two arrivals.
 *
 * Loss: the stream is anchored at `t0`, the earliest `arrival - index * period` seen
 * (`index` counts frames received plus frames counted lost). A frame arriving at `t`
 * finds `floor((t - t0) / period) + 1` frames due; a shortfall means frames are
 * missing. So a sender late by less than a period never causes concealment, a frame
 * lost is concealed when the next one arrives on time, and frames skipped by a stalled
 * sender are concealed one for one. A frame behind schedule is held up to
 * `lossConfirmPeriods` (default half a period): frames queued behind a receiver-side
 * stall arrive back to back within that time and cancel the shortfall (nothing is
 * concealed); otherwise silence for the missing frames is played before it (only as
 * much as fits under the latency bound). The price: after a real loss the next frame
 * reaches the sink up to half a period later, and a stall whose frames trickle in more
 * than half a period apart is concealed. See `loss-schedule.ts`.
 *
 * Playout: the sink is modeled as playing in real time. A frame is written through at
 * once while the sink holds at most two frames (so a paced stream, even a jittery
 * one, goes straight through); frames of a burst wait in a playout queue that a timer
 * drains as the sink plays. Sink backlog plus queue (held frames included) is bounded
 * by `maxBacklogFrames`: beyond it the oldest waiting frames are dropped, so latency
 * cannot grow without bound. `stop()` settles a hold and writes what is still queued
 * before closing the sink.
 */
export function createCallMedia(options: CallMediaOptions): CallMedia {
  const { source, sink, send } = options;
  const clock = options.clock ?? realClock;
  for (const [what, format] of [['source', source.format], ['sink', sink.format]] as const) {
    if (format.sampleRate !== CLASSIC_AUDIO.sampleRate || format.samplesPerFrame !== CLASSIC_AUDIO.samplesPerFrame) {
      throw new AudioFormatMismatchError(
        `${what} ${what === 'source' ? source.label : sink.label} is ${format.samplesPerFrame} samples at ${format.sampleRate} Hz; classic calls need ${CLASSIC_AUDIO.samplesPerFrame} at ${CLASSIC_AUDIO.sampleRate} Hz`,
      );
    }
  }
  const period = CLASSIC_AUDIO.frameDurationMs;
  const maxBacklog = options.maxBacklogFrames ?? 8;
  if (!(Number.isInteger(maxBacklog) && maxBacklog >= WRITE_AHEAD_FRAMES)) {
    throw new RangeError(`maxBacklogFrames must be an integer of at least ${WRITE_AHEAD_FRAMES}, got ${maxBacklog}`);
  }
  const confirmPeriods = options.lossConfirmPeriods ?? 0.5;
  if (!(confirmPeriods >= 0 && confirmPeriods <= 1)) {
    throw new RangeError(`lossConfirmPeriods must be a number from 0 to 1, got ${confirmPeriods}`);
  }
  const lossOptions = { periodMs: period, confirmMs: confirmPeriods * period };

  const report = (error: unknown) => options.onError?.(error);

  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  let muted = false;
  let gain = 1;
  let packetsSent = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let framesConcealed = 0;
  let droppedBadSize = 0;
  let droppedDuplicate = 0;
  let droppedOverflow = 0;
  let sendErrors = 0;
  let sinkErrors = 0;
  // Levels are computed when stats() asks, from the last frame sent (never modified
  // afterwards) and from the copy of the last datagram played.
  let lastSent: Int16Array | undefined;
  // The previous datagram, kept for the duplicate check (one buffer reused for the whole call).
  const last = new Uint8Array(CLASSIC_AUDIO.bytesPerFrame);
  let hasLast = false;
  let lastArrival = 0;
  let schedule: LossSchedule = initialLossSchedule;
  // Frames behind schedule, waiting for the shortfall to be confirmed or caught up, oldest first.
  const held: Int16Array[] = [];
  let holdTimer: TimerHandle | undefined;
  // Time at which the sink will have played everything written so far.
  let playoutEnd = -Infinity;
  // Frames waiting for the sink to make room (a burst), oldest first.
  const queue: Int16Array[] = [];
  let drainTimer: TimerHandle | undefined;

  const pump: FramePump = createFramePump({
    source,
    clock,
    onSourceEnd: (error) => {
      if (error !== undefined) report(error);
    },
    onFrame(read) {
      // Muted: the source was read all the same (it stays aligned), silence goes out.
      const frame = muted ? allocateFrame(read.length) : read;
      lastSent = frame;
      packetsSent++;
      try {
        send(encodeClassicPcm(frame));
      } catch (error) {
        sendErrors++;
        report(error);
      }
    },
  });

  /** Hands one frame to the sink, which is modeled as playing it after what it already holds. */
  function write(frame: Int16Array, now: number): void {
    // Every frame written is owned by the call media (a copy or silence), so in place is safe.
    applyGain(frame, gain);
    try {
      sink.writeFrame(frame);
    } catch (error) {
      sinkErrors++;
      report(error);
    }
    playoutEnd = Math.max(now, playoutEnd) + period;
  }

  /** Audio the sink still holds, in frames. */
  const sinkBacklog = (now: number) => Math.max(0, playoutEnd - now) / period;

  /** Writes queued frames while the sink would then hold at most WRITE_AHEAD_FRAMES; else waits for it to play. */
  function drain(): void {
    drainTimer = undefined;
    const now = clock.now();
    while (queue.length > 0 && sinkBacklog(now) <= WRITE_AHEAD_FRAMES - 1) write(queue.shift()!, now);
    if (queue.length > 0 && state !== 'stopped') {
      drainTimer = clock.setTimeout(drain, playoutEnd - (WRITE_AHEAD_FRAMES - 1) * period - now);
    }
  }

  /** Drops the oldest waiting frames (queued, then held) while the latency bound is exceeded. */
  function bound(now: number): void {
    while (queue.length + held.length > 0 && queue.length + held.length + sinkBacklog(now) > maxBacklog) {
      (queue.length > 0 ? queue : held).shift();
      droppedOverflow++;
    }
  }

  /** Queues a frame for playout, dropping the oldest queued ones beyond the latency bound. */
  function enqueue(frame: Int16Array, now: number): void {
    queue.push(frame);
    bound(now);
    if (drainTimer === undefined) drain();
  }

  /** Counts `lost` frames, queues silence for as many as fit, then the held frames. */
  function release(lost: number, now: number): void {
    if (holdTimer !== undefined) clock.clearTimeout(holdTimer);
    holdTimer = undefined;
    if (lost > 0) {
      packetsLost += lost;
      // Silence only where it fits under the latency bound, leaving room for the held frames.
      const room = Math.floor(maxBacklog - held.length - queue.length - sinkBacklog(now));
      const fill = Math.max(0, Math.min(lost, room));
      for (let i = 0; i < fill; i++) enqueue(allocateFrame(CLASSIC_AUDIO.samplesPerFrame), now);
      framesConcealed += fill;
    }
    for (const frame of held.splice(0)) enqueue(frame, now);
  }

  /** The hold timed out (or the call ends): what is still missing is lost. */
  function confirmHold(now: number): void {
    const step = confirmLoss(schedule);
    schedule = step.schedule;
    release(step.lost, now);
  }

  return {
    start(): void {
      if (state !== 'idle') return;
      state = 'running';
      startedAt = clock.now();
      pump.start();
    },
    receive(datagram: Uint8Array): void {
      if (state === 'stopped') return;
      packetsReceived++;
      if (datagram.length !== CLASSIC_AUDIO.bytesPerFrame) {
        droppedBadSize++;
        return;
      }
      const now = clock.now();
      if (hasLast && now - lastArrival < period / 2 && sameBytes(datagram, last)) {
        droppedDuplicate++;
        return;
      }
      last.set(datagram);
      hasLast = true;
      lastArrival = now;
      // One copy, owned by this call (the caller may reuse its buffer); the frame is a
      // view of it on little-endian hosts, so there is no second copy.
      const copy = allocateBytes(datagram.length);
      copy.set(datagram);
      const frame = decodeClassicPcm(copy);
      // A hold whose timer has not run yet (a late timer) is settled before this frame.
      if (schedule.hold !== undefined && now >= schedule.hold.until) confirmHold(now);
      const step = scheduleArrival(schedule, now, lossOptions);
      schedule = step.schedule;
      held.push(frame);
      if (step.action === 'release') {
        release(step.lost, now);
      } else {
        bound(now);
        holdTimer ??= clock.setTimeout(() => {
          holdTimer = undefined;
          if (state !== 'stopped') confirmHold(clock.now());
        }, step.until - now);
      }
    },
    async stop(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      stoppedAt = clock.now();
      pump.stop();
      if (drainTimer !== undefined) clock.clearTimeout(drainTimer);
      drainTimer = undefined;
      // Nothing received is lost: held and queued frames go to the sink before it closes.
      const now = clock.now();
      if (schedule.hold !== undefined) confirmHold(now);
      for (const frame of queue.splice(0)) write(frame, now);
      const results = await Promise.allSettled([source.close(), sink.close()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    stats(): MediaStats {
      const lateness = pump.lateness;
      return {
        packetsSent,
        packetsReceived,
        packetsLost,
        framesConcealed,
        packetsDropped: droppedBadSize + droppedDuplicate + droppedOverflow,
        droppedBadSize,
        droppedDuplicate,
        droppedOverflow,
        framesSkipped: pump.framesSkipped,
        inputLevelDbfs: lastSent === undefined ? -Infinity : levelDbfs(lastSent),
        outputLevelDbfs: hasLast ? levelDbfs(decodeClassicPcm(last)) : -Infinity,
        pumpLatenessP99Ms: lateness.p99Ms,
        pumpLatenessMaxMs: lateness.maxMs,
        playoutBacklogFrames: sinkBacklog(clock.now()) + queue.length + held.length,
        sourceEnded: pump.sourceEnded,
        sendErrors,
        sinkErrors,
        durationMs: startedAt === undefined ? 0 : (stoppedAt ?? clock.now()) - startedAt,
      };
    },
    setMuted(value: boolean): void {
      muted = value;
    },
    get muted() {
      return muted;
    },
    setGain(value: number): void {
      checkGain(value);
      gain = value;
    },
    get gain() {
      return gain;
    },
  };
}
