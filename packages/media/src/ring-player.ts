/** Plays a ring tone on a sink in real time until stopped: the frame pump fed by a ring tone source. */
import { realClock, type Clock } from '@voip/clock';
import type { AudioSink } from './audio-port.js';
import { createFramePump } from './frame-pump.js';
import { createRingToneSource, type RingCadence } from './ring-tone.js';

/** Options of {@link startRingTone}. */
export interface StartRingToneOptions {
  /** Where the ring goes, typically the speaker; not closed by `stop()` (its owner closes it). */
  readonly sink: AudioSink;
  /** Defaults to {@link realClock}. */
  readonly clock?: Clock;
  /** Defaults to the ETSI cadence: 425 Hz, 1 s on, 4 s off. */
  readonly cadence?: RingCadence;
  /** Told of each failed `sink.writeFrame` (the ring goes on). */
  onError?(error: unknown): void;
}

/** A ring tone playing. */
export interface RingTone {
  /** Stops the ring after the frame being written (frames are whole, so at a frame boundary); leaves the sink open. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts ringing on `sink`: the first frame is written at once, then one every frame
 * period (64 ms in the classic format), deadlines from the frame index as for a call.
 * The tone is generated in the sink's format.
 */
export function startRingTone(options: StartRingToneOptions): RingTone {
  const { sink } = options;
  const source = createRingToneSource({ cadence: options.cadence, format: sink.format });
  const pump = createFramePump({
    source,
    clock: options.clock ?? realClock,
    onFrame(frame) {
      try {
        sink.writeFrame(frame);
      } catch (error) {
        options.onError?.(error);
      }
    },
  });
  pump.start();
  return {
    async stop(): Promise<void> {
      pump.stop();
      await source.close();
    },
  };
}
