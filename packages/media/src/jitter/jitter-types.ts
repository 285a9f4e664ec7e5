/** The types of the jitter buffer's API: packets in, frames out, options, outcomes, counters and its error. */

/** One received media packet: RTP sequence number (16 bits), RTP timestamp (32 bits, in samples) and its PCM. */
export interface MediaPacket {
  /** RTP sequence number, 0..65535. */
  readonly sequence: number;
  /** RTP timestamp, 0..2^32-1, advancing by `frameSamples` a frame. */
  readonly timestamp: number;
  /** Exactly `frameSamples` samples. */
  readonly payload: Int16Array;
}

/** Parameters of a {@link JitterBuffer}; every one but `frameSamples` has a default. */
export interface JitterBufferOptions {
  /** Samples a frame: 160 (20 ms, v2's default) or 512. */
  readonly frameSamples: number;
  /** Sample rate, Hz. Default 8000. */
  readonly sampleRate?: number;
  /** Lowest target playout delay, ms. Default one frame. */
  readonly minDelayMs?: number;
  /** Highest target playout delay, ms. Default 240 (or one frame, if longer). */
  readonly maxDelayMs?: number;
  /** The target is this many times the RFC 3550 jitter J. Default 3. */
  readonly jitterMultiplier?: number;
  /** Time constant of the target's decrease, ms. Default 4000. */
  readonly targetDecayMs?: number;
  /** A delay a frame or more above the target for this long drops one frame, ms. Default 1000. */
  readonly shrinkAfterMs?: number;
  /** Window of the least-delay floor, ms. Default 2000. */
  readonly transitWindowMs?: number;
}

/** What became of a packet given to {@link JitterBuffer.put}. */
export type PutOutcome =
  /** Kept for playout. */
  | 'buffered'
  /** New, but its playout time had passed: dropped and counted in `late`. */
  | 'late'
  /** Already received, or older than the reorder window: dropped and counted in `duplicate`. */
  | 'duplicate'
  /** Off the stream's timeline (a sequence or timestamp jump): kept aside until its successor confirms a restart. */
  | 'probation';

/** How a frame returned by {@link JitterBuffer.get} was produced. */
export type FrameKind = 'played' | 'concealed' | 'silence';

/** Counters of a buffer; `received = played + late + duplicate + discarded + buffered`. */
export interface JitterStats {
  /** Packets given to `put`. */
  readonly received: number;
  /** Packets played (frames of kind `played`). */
  readonly played: number;
  /** Frames synthesised by concealment. */
  readonly concealed: number;
  /** Frames of silence: before the first packet, while filling, or beyond 60 ms of concealment. */
  readonly silent: number;
  /** Packets dropped because they came after their playout time. */
  readonly late: number;
  /** Packets dropped as duplicates, or older than the reorder window. */
  readonly duplicate: number;
  /** Packets dropped by the buffer itself: to shrink the delay, on a restart, or off the timeline and never confirmed. */
  readonly discarded: number;
  /** Packets held now (in the buffer or on probation). */
  readonly buffered: number;
  /** Restarts followed (sequence or timestamp jumps confirmed by the next packet). */
  readonly restarts: number;
  /** RFC 3550 interarrival jitter J, ms. */
  readonly jitterMs: number;
  /** Delay of the last frame beyond the least-delayed recent packet, ms: what the buffer adds. */
  readonly playoutDelayMs: number;
  /** The delay the buffer aims for, ms. */
  readonly targetDelayMs: number;
}

/** One frame for the sink. */
export interface PlayoutFrame {
  /** Exactly `frameSamples` samples (a new array). */
  readonly samples: Int16Array;
  /** How it was produced. */
  readonly kind: FrameKind;
  /** The RTP sequence number of the packet played, for `played` frames. */
  readonly sequence: number | undefined;
}

/** Thrown on a packet whose payload is not one frame: the caller's decoder checks lengths first. */
export class JitterBufferError extends Error {
  override name = 'JitterBufferError';
  /** Stable code. */
  readonly code = 'bad-frame-length';
  constructor(
    readonly samples: number,
    readonly expected: number,
  ) {
    super(`payload of ${samples} samples, expected ${expected}`);
  }
}
