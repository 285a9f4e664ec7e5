/** The receiving half of call media: checks datagrams, tells losses from the stream's schedule and paces playout into the sink. */
import { CLASSIC_AUDIO, decodeClassicPcm } from '@voip/protocol';
import type { Clock, TimerHandle } from '@voip/clock';
import type { AudioSink } from './audio-port.js';
import { allocateBytes, allocateFrame } from './frame-slab.js';
import { applyGain, checkGain } from './gain.js';
import { levelDbfs } from './level.js';
import { confirmLoss, initialLossSchedule, scheduleArrival, type LossSchedule } from './loss-schedule.js';

/** Frames the sink is fed ahead of playback; beyond, frames wait in the playout queue. */
export const WRITE_AHEAD_FRAMES = 2;

/** Options of {@link createCallReceiver}; see `CallMediaOptions` for the meaning of each. */
export interface CallReceiverOptions {
  readonly sink: AudioSink;
  readonly clock: Clock;
  readonly maxBacklogFrames: number;
  readonly lossConfirmPeriods: number;
  /** Told of sink failures (they are counted either way). */
  report(error: unknown): void;
}

/** The receiver's share of `MediaStats`. */
export interface ReceiverStats {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly framesConcealed: number;
  readonly droppedBadSize: number;
  readonly droppedDuplicate: number;
  readonly droppedOverflow: number;
  readonly sinkErrors: number;
  readonly outputLevelDbfs: number;
  readonly playoutBacklogFrames: number;
}

/** The receiving half of one call. */
export interface CallReceiver {
  /** Handles one datagram from the peer; ignored once stopped. True when it was taken as a frame (not dropped). */
  receive(datagram: Uint8Array): boolean;
  /** Settles a pending hold and writes what is still queued, then ignores datagrams; leaves no timer. Does not close the sink. */
  stop(): void;
  /** Sets the speaker gain (checked: 0 to 2), applied as frames are written to the sink. */
  setGain(gain: number): void;
  /** The speaker gain. */
  readonly gain: number;
  /** A snapshot of the counters. */
  stats(): ReceiverStats;
}

/** Whether two datagrams of the same length are equal; frames of live audio differ within a few bytes, so a mismatch is found early. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Creates the receiving half of a classic call. Classic media has no sequence
 * numbers, so it works from arrival times: an exact duplicate within half a period is
 * dropped, and losses are told from the stream's schedule, not from the gap between
 * two arrivals.
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
 * cannot grow without bound. `stop()` settles a hold and writes what is still queued.
 */
export function createCallReceiver(options: CallReceiverOptions): CallReceiver {
  const { sink, clock, report } = options;
  const period = CLASSIC_AUDIO.frameDurationMs;
  const maxBacklog = options.maxBacklogFrames;
  if (!(Number.isInteger(maxBacklog) && maxBacklog >= WRITE_AHEAD_FRAMES)) {
    throw new RangeError(`maxBacklogFrames must be an integer of at least ${WRITE_AHEAD_FRAMES}, got ${maxBacklog}`);
  }
  const confirmPeriods = options.lossConfirmPeriods;
  if (!(confirmPeriods >= 0 && confirmPeriods <= 1)) {
    throw new RangeError(`lossConfirmPeriods must be a number from 0 to 1, got ${confirmPeriods}`);
  }
  const lossOptions = { periodMs: period, confirmMs: confirmPeriods * period };

  let stopped = false;
  let gain = 1;
  let packetsReceived = 0;
  let packetsLost = 0;
  let framesConcealed = 0;
  let droppedBadSize = 0;
  let droppedDuplicate = 0;
  let droppedOverflow = 0;
  let sinkErrors = 0;
  // The previous datagram, kept for the duplicate check and the level (one buffer reused for the whole call).
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

  /** Hands one frame to the sink, which is modeled as playing it after what it already holds. */
  function write(frame: Int16Array, now: number): void {
    // Every frame written is owned by the receiver (a copy or silence), so in place is safe.
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
    if (queue.length > 0 && !stopped) {
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
    receive(datagram: Uint8Array): boolean {
      if (stopped) return false;
      packetsReceived++;
      if (datagram.length !== CLASSIC_AUDIO.bytesPerFrame) {
        droppedBadSize++;
        return false;
      }
      const now = clock.now();
      if (hasLast && now - lastArrival < period / 2 && sameBytes(datagram, last)) {
        droppedDuplicate++;
        return false;
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
          if (!stopped) confirmHold(clock.now());
        }, step.until - now);
      }
      return true;
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      if (drainTimer !== undefined) clock.clearTimeout(drainTimer);
      drainTimer = undefined;
      // Nothing received is lost: held and queued frames go to the sink before it closes.
      const now = clock.now();
      if (schedule.hold !== undefined) confirmHold(now);
      for (const frame of queue.splice(0)) write(frame, now);
    },
    setGain(value: number): void {
      checkGain(value);
      gain = value;
    },
    get gain() {
      return gain;
    },
    stats(): ReceiverStats {
      return {
        packetsReceived,
        packetsLost,
        framesConcealed,
        droppedBadSize,
        droppedDuplicate,
        droppedOverflow,
        sinkErrors,
        // Computed when asked, from the copy of the last datagram played (before the gain).
        outputLevelDbfs: hasLast ? levelDbfs(decodeClassicPcm(last)) : -Infinity,
        playoutBacklogFrames: sinkBacklog(clock.now()) + queue.length + held.length,
      };
    },
  };
}
