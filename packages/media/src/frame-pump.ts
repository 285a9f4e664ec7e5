/** The frame pump: reads a source one frame per period in real time, deadlines from the frame index. */
import type { AudioSource } from './audio-port.js';
import { realClock, type Clock, type TimerHandle } from '@voip/clock';
import { allocateFrame } from './frame-slab.js';
import { LatenessMeter, type LatenessStats } from './lateness.js';

/** Options of {@link createFramePump}. */
export interface FramePumpOptions {
  /** Where frames come from; read once per frame period (and once per skipped frame). */
  readonly source: AudioSource;
  /** Called with each frame and its index `i` (deadline `t0 + i * frameDurationMs`). */
  onFrame(frame: Int16Array, index: number): void;
  /** Defaults to {@link realClock}. */
  readonly clock?: Clock;
  /** Defaults to the source's frame duration (64 ms for 512 samples at 8000 Hz). */
  readonly frameDurationMs?: number;
  /**
   * Called once when the source ends (`readFrame()` returned null) or throws (then
   * with the error). The pump goes on sending silence either way.
   */
  onSourceEnd?(error?: unknown): void;
}

/** A running frame pump. */
export interface FramePump {
  /** Starts pacing: frame `i` is due at `t0 + i * period`, `t0` being now. Frame 0 goes out at once. */
  start(): void;
  /** Stops pacing. Idempotent; a stopped pump cannot restart. Does not close the source. */
  stop(): void;
  /** Frames passed to `onFrame`. */
  readonly framesSent: number;
  /** Frames skipped because their deadline had passed by more than one period (after a stall). */
  readonly framesSkipped: number;
  /** True once the source has ended (or failed); the pump then sends silence. */
  readonly sourceEnded: boolean;
  /** The error the source threw, if it did. */
  readonly sourceError: unknown;
  /** Lateness of emitted frames relative to their deadlines. */
  readonly lateness: LatenessStats;
}

/**
 * Creates a pump that reads frames from `source` and emits them at the real-time rate.
 * Deadlines come from the frame index, never from adding intervals, so there is no
 * drift. After a stall, frames whose deadline passed by more than one period are
 * skipped (read from the source and discarded, so that the source stays aligned with
 * real time) and counted; at most one frame is emitted per timer run, never a burst.
 */
export function createFramePump(options: FramePumpOptions): FramePump {
  const { source, onFrame } = options;
  const clock = options.clock ?? realClock;
  const samples = source.format.samplesPerFrame;
  const period = options.frameDurationMs ?? (samples * 1000) / source.format.sampleRate;
  if (!(period > 0 && Number.isFinite(period))) throw new RangeError(`frame duration must be a positive number of ms, got ${period}`);

  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let t0 = 0;
  let next = 0;
  let timer: TimerHandle | undefined;
  let framesSent = 0;
  let framesSkipped = 0;
  let sourceEnded = false;
  let sourceError: unknown;
  const lateness = new LatenessMeter();

  const deadline = (i: number) => t0 + i * period;

  function endSource(error?: unknown): void {
    sourceEnded = true;
    sourceError = error;
    options.onSourceEnd?.(error);
  }

  function read(): Int16Array {
    if (!sourceEnded) {
      try {
        const frame = source.readFrame();
        if (frame === null) endSource();
        else if (frame.length !== samples) endSource(new RangeError(`${source.label} returned ${frame.length} samples, expected ${samples}`));
        else return frame;
      } catch (error) {
        endSource(error);
      }
    }
    return allocateFrame(samples);
  }

  function tick(): void {
    timer = undefined;
    if (state !== 'running') return;
    const now = clock.now();
    // Skip to the first frame whose deadline is at most one period ago.
    const first = Math.max(next, Math.ceil((now - t0) / period - 1));
    for (; next < first; next++) {
      if (!sourceEnded) read();
      framesSkipped++;
    }
    const index = next++;
    const frame = read();
    lateness.record(now - deadline(index));
    framesSent++;
    // Schedule before calling out, so that onFrame may stop the pump.
    timer = clock.setTimeout(tick, Math.max(0, deadline(next) - now));
    onFrame(frame, index);
  }

  return {
    start(): void {
      if (state === 'running') return;
      if (state === 'stopped') throw new Error('a stopped frame pump cannot be restarted');
      state = 'running';
      t0 = clock.now();
      timer = clock.setTimeout(tick, 0);
    },
    stop(): void {
      state = 'stopped';
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
    get framesSent() {
      return framesSent;
    },
    get framesSkipped() {
      return framesSkipped;
    },
    get sourceEnded() {
      return sourceEnded;
    },
    get sourceError() {
      return sourceError;
    },
    get lateness() {
      return lateness.stats();
    },
  };
}
