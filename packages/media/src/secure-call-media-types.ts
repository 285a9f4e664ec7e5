/** The options of secure call media: the v2 call's media parameters, as the session agreed them, and the audio ports. */
import type { Clock } from '@voip/clock';
import type { DirectionKey } from '@voip/protocol/v2';
import type { AudioSink, AudioSource } from './audio-port.js';

/** What a v2 call agreed for its media: format, keys and both streams' starting points (docs/v2-wire.md section 5). */
export interface V2MediaParams {
  /** Samples a frame, both ways: 160 (20 ms, v2's default) or 512 (64 ms). */
  readonly frameSamples: 160 | 512;
  /** RTP payload type of L16, 0-127 (the ANSWER's; 96 by default). */
  readonly payloadType: number;
  /** This side's `media.send` key (`deriveCallKeys`): seals what it sends. */
  readonly sendKey: DirectionKey;
  /** This side's `media.receive` key: opens what the peer sends. */
  readonly receiveKey: DirectionKey;
  /** This side's SSRC, as announced in OFFER or ANSWER. */
  readonly ssrc: number;
  /** Sequence number of this side's first packet (below 2^15: `randomMediaStart`). */
  readonly firstSequence: number;
  /** RTP timestamp of this side's first packet, 0 to 2^32-1. */
  readonly firstTimestamp: number;
  /** The peer's SSRC: packets of any other are rejected. */
  readonly peerSsrc: number;
}

/** Options of {@link createSecureCallMedia}. */
export interface SecureCallMediaOptions {
  /** The microphone side, 8000 Hz, frames of any size (re-framed to `v2.frameSamples`); closed by `stop()`. */
  readonly source: AudioSource;
  /** The speaker side, 8000 Hz, frames of any size (re-framed); closed by `stop()`. */
  readonly sink: AudioSink;
  /** Sends one sealed RTP datagram to the peer (a new array each time: it may be queued as is). */
  send(datagram: Uint8Array): void;
  /** Defaults to `realClock` of @voip/clock. */
  readonly clock?: Clock;
  /** The v2 call's media parameters. */
  readonly v2: V2MediaParams;
  /** Told of send, seal, sink and source failures (they are counted either way). */
  onError?(error: unknown): void;
}

/** Reported to `onError` (and counted in `sendErrors`) for every frame not sent because the send key has sealed 2^48 packets: the call must end. */
export class MediaKeyExhaustedError extends Error {
  override name = 'MediaKeyExhaustedError';
  /** Stable code, as `MediaSealer.seal` gives it. */
  readonly code = 'media-exhausted';
}
