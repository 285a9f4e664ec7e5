/** The half both call media share: a call's life (start, stop, its duration, closing source and sink) and its paced, mutable, counted send side. */
import type { Clock } from '@voip/clock';
import type { AudioSink, AudioSource } from './audio-port.js';
import type { MediaStats } from './call-media-types.js';
import { allocateFrame } from './frame-slab.js';
import { createFramePump } from './frame-pump.js';
import { levelDbfs } from './level.js';

/** Time since `startedAt`, frozen at `stoppedAt` once stopped; 0 before the start. */
export function callDurationMs(startedAt: number | undefined, stoppedAt: number | undefined, now: number): number {
  return startedAt === undefined ? 0 : (stoppedAt ?? now) - startedAt;
}

/** Closes both ends even if one fails, then rethrows the first failure. */
export async function closeSourceAndSink(source: AudioSource, sink: AudioSink): Promise<void> {
  const results = await Promise.allSettled([source.close(), sink.close()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Options of {@link createCallLifetime}. */
export interface CallLifetimeOptions {
  /** Read once a frame period by the pump (its frame size sets the period). */
  readonly source: AudioSource;
  /** Closed with the source by `stop()`. */
  readonly sink: AudioSink;
  readonly clock: Clock;
  /** Where datagrams go; may throw (counted in `sendErrors` and reported). */
  send(datagram: Uint8Array): void;
  /** Told about every failure: the source's, and each `send` that throws. */
  report(error: unknown): void;
  /**
   * Frame `index` to send (digital silence while muted: the source was read all the
   * same, so it stays aligned with real time) through `sender`.
   */
  onFrame(frame: Int16Array, index: number, sender: FrameSender): void;
  /** Called by `stop()` after the pump stops and before source and sink close. */
  onStop?(): void;
}

/** How a frame goes out: `send` counts and reports a failure of the `send` option; `fail` counts and reports one found before sending. */
export interface FrameSender {
  send(datagram: Uint8Array): void;
  fail(error: unknown): void;
}

/** The figures of the shared half, as `MediaStats` names them. */
export type CallLifetimeStats = Pick<
  MediaStats,
  'packetsSent' | 'framesSkipped' | 'inputLevelDbfs' | 'pumpLatenessP99Ms' | 'pumpLatenessMaxMs' | 'sourceEnded' | 'sendErrors' | 'durationMs'
>;

/** A call's shared half; see {@link createCallLifetime}. */
export interface CallLifetime {
  start(): void;
  stop(): Promise<void>;
  /** True once `stop()` was called: what is received then is ignored. */
  readonly stopped: boolean;
  /** The clock's time at `start()`: frame i's deadline is `startedAt + i` periods. */
  readonly startedAt: number | undefined;
  setMuted(muted: boolean): void;
  readonly muted: boolean;
  stats(): CallLifetimeStats;
}

/**
 * One rule for both kinds of call media: `start()` once (idle to running, the pump's
 * t0), `stop()` once (the pump stops, `onStop`, then source and sink close, the
 * duration freezes); muted frames are silence of the source frame's size; a frame
 * counts as sent when it is handed to `onFrame`, and a `send` that throws (or a
 * failure given to `fail`) counts in `sendErrors`; the input level is that of the last frame handed over, computed when
 * `stats()` asks.
 */
export function createCallLifetime(options: CallLifetimeOptions): CallLifetime {
  const { source, sink, clock, report } = options;
  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  let muted = false;
  let packetsSent = 0;
  let sendErrors = 0;
  // Never modified once handed over (sources return a new frame on every read).
  let lastSent: Int16Array | undefined;

  const sender: FrameSender = {
    send(datagram) {
      try {
        options.send(datagram);
      } catch (error) {
        sender.fail(error);
      }
    },
    fail(error) {
      sendErrors++;
      report(error);
    },
  };
  const pump = createFramePump({
    source,
    clock,
    onSourceEnd: (error) => {
      if (error !== undefined) report(error);
    },
    onFrame(read, index) {
      const frame = muted ? allocateFrame(read.length) : read;
      lastSent = frame;
      packetsSent++;
      options.onFrame(frame, index, sender);
    },
  });

  return {
    start(): void {
      if (state !== 'idle') return;
      state = 'running';
      startedAt = clock.now();
      pump.start();
    },
    async stop(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      stoppedAt = clock.now();
      pump.stop();
      options.onStop?.();
      await closeSourceAndSink(source, sink);
    },
    get stopped() {
      return state === 'stopped';
    },
    get startedAt() {
      return startedAt;
    },
    setMuted(value: boolean): void {
      muted = value;
    },
    get muted() {
      return muted;
    },
    stats(): CallLifetimeStats {
      const lateness = pump.lateness;
      return {
        packetsSent,
        framesSkipped: pump.framesSkipped,
        inputLevelDbfs: lastSent === undefined ? -Infinity : levelDbfs(lastSent),
        pumpLatenessP99Ms: lateness.p99Ms,
        pumpLatenessMaxMs: lateness.maxMs,
        sourceEnded: pump.sourceEnded,
        sendErrors,
        durationMs: callDurationMs(startedAt, stoppedAt, clock.now()),
      };
    },
  };
}
