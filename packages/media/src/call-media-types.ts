/** The contract of call media: its options, its controls and the figures it reports. */
import type { Clock } from '@voip/clock';
import type { AudioSink, AudioSource } from './audio-port.js';

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
  /**
   * Datagrams refused as not from the peer's stream. Secure media: failed
   * authentication, malformed (bad header, length, payload type or payload size) or of
   * another SSRC. Classic: the datagrams that were not 1024 bytes (`droppedBadSize`;
   * third parties are the caller's to filter, by address).
   */
  readonly packetsRejected: number;
  /**
   * Secure media: authentic packets already received or older than the replay window
   * (a replay and a network duplicate cannot be told apart). Classic: the exact repeats
   * dropped (`droppedDuplicate`).
   */
  readonly packetsReplayed: number;
  /** Secure media: authentic, new packets that came after their playout time. Classic: 0 (its datagrams carry no timestamps). */
  readonly packetsLate: number;
  /** Frames played by concealment: secure media, pitch-period repetition (silence beyond 60 ms is not counted here); classic, the silence frames it inserts (`framesConcealed`). */
  readonly packetsConcealed: number;
  /** Secure media: the RFC 3550 interarrival jitter estimate, ms. Classic: 0 (no timestamps to measure it against). */
  readonly jitterMs: number;
  /** Secure media: the jitter buffer's delay beyond the least-delayed recent packet, ms. Classic: 0 (see `playoutBacklogFrames`). */
  readonly playoutDelayMs: number;
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
  /** Defaults to `realClock` of @voip/clock. */
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
  /**
   * Handles one datagram from the peer (the caller has checked its source address).
   * True when it was taken as audio of the call: here a frame of the right size, not a
   * duplicate; for secure media an authentic packet not seen before. Only such datagrams
   * show that the peer is still there (a call's silence timeout counts them alone).
   */
  receive(datagram: Uint8Array): boolean;
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
