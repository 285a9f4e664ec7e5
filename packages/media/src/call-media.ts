import { CLASSIC_AUDIO, decodeClassicPcm, encodeClassicPcm } from '@voip/protocol';
import type { AudioSink, AudioSource } from './audio-port.js';
import type { Clock, TimerHandle } from './clock.js';
import { AudioFormatMismatchError } from './errors.js';
import { createFramePump, type FramePump } from './frame-pump.js';
import { levelDbfs } from './level.js';
import { realClock } from './real-clock.js';

/** Counters and meters of one call's audio, for a status line or a meter. */
export interface MediaStats {
  /** Datagrams handed to `send` (a failed send is counted in `sendErrors` too). */
  readonly packetsSent: number;
  /** Datagrams passed to `receive`, whatever became of them. */
  readonly packetsReceived: number;
  /** Frames estimated lost from arrival gaps (classic media has no sequence numbers). */
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
  /** Level of the last frame sent, dBFS (-Infinity for silence or before any). */
  readonly inputLevelDbfs: number;
  /** Level of the last frame received, dBFS (-Infinity for silence or before any). */
  readonly outputLevelDbfs: number;
  /** 99th percentile lateness of the send pump, ms. */
  readonly pumpLatenessP99Ms: number;
  /** Worst lateness of the send pump, ms. */
  readonly pumpLatenessMaxMs: number;
  /** Audio waiting to be played (modeled sink backlog plus playout queue), in frames. */
  readonly playoutBacklogFrames: number;
  /** True once the source ended (or failed); silence is sent since. */
  readonly sourceEnded: boolean;
  /** Calls of `send` that threw. */
  readonly sendErrors: number;
  /** Calls of `sink.writeFrame` that threw. */
  readonly sinkErrors: number;
}

/** Options of {@link createCallMedia}. */
export interface CallMediaOptions {
  /** The microphone side; closed by `stop()`. */
  readonly source: AudioSource;
  /** The speaker side; closed by `stop()`. */
  readonly sink: AudioSink;
  /** Sends one 1024-byte classic audio datagram to the peer. */
  send(datagram: Uint8Array): void;
  /** Defaults to {@link realClock}. */
  readonly clock?: Clock;
  /** Bound of the playout latency (sink backlog plus queue), in frames: default 8 (512 ms), at least 2. */
  readonly maxBacklogFrames?: number;
  /** A frame arriving this many periods or more after the previous one means frames were lost (default 1.75). */
  readonly lossGapPeriods?: number;
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
}

/** Frames the sink is fed ahead of playback; beyond, frames wait in the playout queue. */
const WRITE_AHEAD_FRAMES = 2;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The whole audio side of a classic call: a pump reads the source every 64 ms, encodes
 * s16le 1024-byte datagrams and sends them; received datagrams are checked, decoded
 * and played. Classic media has no sequence numbers, so the receiver works from
 * arrival times: a gap of `lossGapPeriods` or more is filled with silence for the
 * missing periods, and an exact duplicate within half a period is dropped.
 *
 * Playout: the sink is modeled as playing in real time. A frame is written through at
 * once while the sink holds at most two frames (so a paced stream, even a jittery
 * one, goes straight through); frames of a burst wait in a playout queue that a timer
 * drains as the sink plays. Sink backlog plus queue is bounded by `maxBacklogFrames`:
 * beyond it the oldest queued frames are dropped, so latency cannot grow without
 * bound. `stop()` writes what is still queued before closing the sink.
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
  const lossGap = (options.lossGapPeriods ?? 1.75) * period;
  if (!(lossGap > period)) throw new RangeError('lossGapPeriods must be above 1');

  const report = (error: unknown) => options.onError?.(error);

  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let packetsSent = 0;
  let packetsReceived = 0;
  let packetsLost = 0;
  let framesConcealed = 0;
  let droppedBadSize = 0;
  let droppedDuplicate = 0;
  let droppedOverflow = 0;
  let sendErrors = 0;
  let sinkErrors = 0;
  let inputLevel = -Infinity;
  let outputLevel = -Infinity;
  let last: Uint8Array | undefined;
  let lastArrival = 0;
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
    onFrame(frame) {
      inputLevel = levelDbfs(frame);
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

  /** Queues a frame for playout, dropping the oldest queued ones beyond the latency bound. */
  function enqueue(frame: Int16Array, now: number): void {
    queue.push(frame);
    while (queue.length > 0 && queue.length + sinkBacklog(now) > maxBacklog) {
      queue.shift();
      droppedOverflow++;
    }
    if (drainTimer === undefined) drain();
  }

  return {
    start(): void {
      if (state !== 'idle') return;
      state = 'running';
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
      if (last !== undefined && now - lastArrival < period / 2 && sameBytes(datagram, last)) {
        droppedDuplicate++;
        return;
      }
      if (last !== undefined) {
        const gap = now - lastArrival;
        if (gap >= lossGap) {
          const missing = Math.max(1, Math.round(gap / period) - 1);
          packetsLost += missing;
          // Silence only where it fits under the latency bound, leaving room for this frame.
          const room = Math.floor(maxBacklog - 1 - queue.length - sinkBacklog(now));
          const fill = Math.max(0, Math.min(missing, room));
          for (let i = 0; i < fill; i++) enqueue(new Int16Array(CLASSIC_AUDIO.samplesPerFrame), now);
          framesConcealed += fill;
        }
      }
      last = datagram.slice();
      lastArrival = now;
      const frame = decodeClassicPcm(datagram);
      outputLevel = levelDbfs(frame);
      enqueue(frame, now);
    },
    async stop(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      pump.stop();
      if (drainTimer !== undefined) clock.clearTimeout(drainTimer);
      drainTimer = undefined;
      // Nothing received is lost: queued frames go to the sink before it closes.
      const now = clock.now();
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
        inputLevelDbfs: inputLevel,
        outputLevelDbfs: outputLevel,
        pumpLatenessP99Ms: lateness.p99Ms,
        pumpLatenessMaxMs: lateness.maxMs,
        playoutBacklogFrames: sinkBacklog(clock.now()) + queue.length,
        sourceEnded: pump.sourceEnded,
        sendErrors,
        sinkErrors,
      };
    },
  };
}
