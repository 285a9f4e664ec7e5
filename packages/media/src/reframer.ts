/** Re-framing PCM: a pure re-framer that cuts a stream of frames of one size into frames of another, and a source and a sink wrapped with it. */
import type { AudioSink, AudioSource } from './audio-port.js';
import { allocateFrame } from './frame-slab.js';

/**
 * Cuts PCM pushed in frames of any size into frames of exactly `frameSamples`
 * samples, in order, sample for sample. Pure: no clock, no I/O; what has not made a
 * whole frame yet is kept for the next push. E.g. 512-sample frames in, 160-sample
 * frames out: 16 in give 51 out and keep 32 samples; 5 in give exactly 16 out.
 */
export class Reframer {
  readonly #frameSamples: number;
  #pending: Int16Array;
  #length = 0;

  /** A re-framer that hands out frames of `frameSamples` samples (a positive integer). */
  constructor(frameSamples: number) {
    if (!(Number.isInteger(frameSamples) && frameSamples > 0)) throw new RangeError(`frame of ${frameSamples} samples`);
    this.#frameSamples = frameSamples;
    this.#pending = new Int16Array(frameSamples * 2);
  }

  /** Samples of each frame handed out. */
  get frameSamples(): number {
    return this.#frameSamples;
  }

  /** Samples kept, not yet a whole frame (after `take` returned undefined, fewer than `frameSamples`). */
  get buffered(): number {
    return this.#length;
  }

  /** Appends `samples` (copied: the caller keeps its array). */
  push(samples: Int16Array): void {
    const needed = this.#length + samples.length;
    if (needed > this.#pending.length) {
      const grown = new Int16Array(Math.max(needed, this.#pending.length * 2));
      grown.set(this.#pending.subarray(0, this.#length));
      this.#pending = grown;
    }
    this.#pending.set(samples, this.#length);
    this.#length = needed;
  }

  /** The next whole frame (a new array of its own), or undefined while fewer than `frameSamples` samples are kept. */
  take(): Int16Array | undefined {
    const n = this.#frameSamples;
    if (this.#length < n) return undefined;
    const frame = allocateFrame(n);
    frame.set(this.#pending.subarray(0, n));
    this.#pending.copyWithin(0, n, this.#length);
    this.#length -= n;
    return frame;
  }

  /** What is kept, zero-padded to a whole frame, or undefined when nothing is kept; the re-framer is then empty. */
  flush(): Int16Array | undefined {
    if (this.#length === 0) return undefined;
    const frame = allocateFrame(this.#frameSamples);
    frame.set(this.#pending.subarray(0, this.#length));
    this.#length = 0;
    return frame;
  }
}

/**
 * `source` read in frames of `frameSamples` samples: each `readFrame()` takes a
 * frame from a {@link Reframer}, reading the source when it holds too little. When
 * the source ends, what is kept goes out zero-padded as a last frame, then null.
 * The source itself is returned when its frames already have that size.
 */
export function reframeSource(source: AudioSource, frameSamples: number): AudioSource {
  if (source.format.samplesPerFrame === frameSamples) return source;
  const reframer = new Reframer(frameSamples);
  let ended = false;
  return {
    format: Object.freeze({ sampleRate: source.format.sampleRate, samplesPerFrame: frameSamples }),
    label: source.label,
    readFrame(): Int16Array | null {
      while (!ended && reframer.buffered < frameSamples) {
        const frame = source.readFrame();
        if (frame === null) ended = true;
        else reframer.push(frame);
      }
      return reframer.take() ?? reframer.flush() ?? null;
    },
    close: () => source.close(),
  };
}

/**
 * An {@link AudioSink} that takes frames of `frameSamples` samples and writes
 * `sink` whole frames of its own size as they fill (a 512-sample sink fed 160-sample
 * frames is written after the 4th, 7th, 10th, 13th and 16th). `close()` writes what
 * is kept, zero-padded, then closes `sink`. The sink itself is returned when its
 * frames already have that size.
 */
export function reframeSink(sink: AudioSink, frameSamples: number): AudioSink {
  if (sink.format.samplesPerFrame === frameSamples) return sink;
  const reframer = new Reframer(sink.format.samplesPerFrame);
  let closed = false;
  return {
    format: Object.freeze({ sampleRate: sink.format.sampleRate, samplesPerFrame: frameSamples }),
    label: sink.label,
    writeFrame(frame: Int16Array): void {
      if (frame.length !== frameSamples) throw new RangeError(`${sink.label}: frame of ${frame.length} samples, expected ${frameSamples}`);
      reframer.push(frame);
      for (let whole = reframer.take(); whole !== undefined; whole = reframer.take()) sink.writeFrame(whole);
    },
    async close(): Promise<void> {
      if (!closed) {
        closed = true;
        const last = reframer.flush();
        if (last !== undefined) sink.writeFrame(last);
      }
      await sink.close();
    },
  };
}
