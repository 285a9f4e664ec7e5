/**
 * Looking for audio where it should not be, and for what was played: stretches of the
 * sent PCM in captured datagrams (either byte order), and the frames of a recording
 * that are exactly frames of the sent signal.
 */

/** Where a datagram holds `window` consecutive bytes of the PCM. */
export interface PcmLeak {
  /** Index of the datagram. */
  readonly datagram: number;
  /** Offset in the datagram. */
  readonly offset: number;
  readonly order: 'little-endian' | 'big-endian';
}

/** The s16 samples as bytes in `order`. */
function pcmBytes(samples: Int16Array, order: PcmLeak['order']): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    if (order === 'little-endian') out.writeInt16LE(samples[i]!, i * 2);
    else out.writeInt16BE(samples[i]!, i * 2);
  }
  return out;
}

/**
 * Every place (at most one a datagram) where a datagram holds `window` (16) consecutive
 * bytes of `samples` sent little- or big-endian, from any byte offset of the PCM.
 */
export function findPcm(samples: Int16Array, datagrams: readonly Uint8Array[], window = 16): PcmLeak[] {
  const index = new Map<string, PcmLeak['order']>();
  for (const order of ['little-endian', 'big-endian'] as const) {
    const bytes = pcmBytes(samples, order);
    for (let i = 0; i + window <= bytes.length; i++) index.set(bytes.toString('latin1', i, i + window), order);
  }
  const leaks: PcmLeak[] = [];
  datagrams.forEach((d, datagram) => {
    const bytes = Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    for (let offset = 0; offset + window <= bytes.length; offset++) {
      const order = index.get(bytes.toString('latin1', offset, offset + window));
      if (order) {
        leaks.push({ datagram, offset, order });
        return;
      }
    }
  });
  return leaks;
}

/** The frames of a recording that are frames of the sent signal. */
export interface PlayedFrames {
  /** For each frame found in the recording, in recording order, its index in the sent signal. */
  readonly indices: number[];
  /** Frames found whose index is not above the one found before (played twice or out of order). */
  readonly outOfOrder: number;
}

/**
 * Finds, in recording order, the stretches of `received` that are exactly a frame of
 * `sent` (`sent` cut in frames of `frameSamples` from its start; frames that are all
 * zero are left out). The sent signal should be noise, so that every frame is unique.
 */
export function playedFrames(received: Int16Array, sent: Int16Array, frameSamples = 160): PlayedFrames {
  const key = (s: Int16Array, at: number): string => `${s[at]},${s[at + 1]},${s[at + 2]},${s[at + 3]}`;
  const frames = new Map<string, number>();
  for (let f = 0; (f + 1) * frameSamples <= sent.length; f++) {
    if (sent.subarray(f * frameSamples, (f + 1) * frameSamples).some((v) => v !== 0)) frames.set(key(sent, f * frameSamples), f);
  }
  const indices: number[] = [];
  let outOfOrder = 0;
  for (let at = 0; at + frameSamples <= received.length;) {
    const f = frames.get(key(received, at));
    let same = f !== undefined;
    for (let i = 0; same && i < frameSamples; i++) same = received[at + i] === sent[f! * frameSamples + i];
    if (!same) {
      at++;
      continue;
    }
    if (indices.length > 0 && f! <= indices.at(-1)!) outOfOrder++;
    indices.push(f!);
    at += frameSamples;
  }
  return { indices, outOfOrder };
}
