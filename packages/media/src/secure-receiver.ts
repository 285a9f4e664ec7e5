/** The receiving half of secure media: opens sealed RTP, files authentic frames in the jitter buffer and counts what it refuses. */
import { createMediaReceiver, openMedia, type MediaReceiver } from '@voip/protocol/v2';
import { JitterBuffer } from './jitter/jitter-buffer.js';
import type { PlayoutFrame } from './jitter/jitter-types.js';
import { decodeL16InPlace } from './l16.js';
import type { V2MediaParams } from './secure-call-media-types.js';

/** The receiver's share of `MediaStats`. */
export interface SecureReceiverStats {
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly packetsRejected: number;
  readonly packetsMalformed: number;
  readonly packetsReplayed: number;
  readonly packetsLate: number;
  readonly packetsDiscarded: number;
  readonly packetsConcealed: number;
  readonly packetsBuffered: number;
  readonly jitterMs: number;
  readonly playoutDelayMs: number;
}

/**
 * The receiving half of one v2 call, pure: `receive(datagram, nowMs)` for each
 * datagram, `playout(nowMs)` once a frame period. A datagram is opened with the
 * receive key against the replay window (`openMedia`); only an authentic packet of the
 * agreed payload type and frame size reaches the jitter buffer. Counting, by
 * `openMedia`'s codes: `media-auth-failed`, `media-malformed`, `media-bad-ssrc` (and a
 * wrong payload type or size) are rejected; `media-replayed`, `media-too-old` (and
 * the rare duplicate the buffer itself finds) are replayed.
 */
export class SecureReceiver {
  readonly #params: V2MediaParams;
  readonly #buffer: JitterBuffer;
  #receiver: MediaReceiver;
  #received = 0;
  #rejected = 0;
  #malformed = 0;
  #replayed = 0;
  // Lowest and highest packet index accepted, and how many: RFC 3550 A.3's expected minus received.
  #lowest = Infinity;
  #highest = -Infinity;
  #accepted = 0;

  /** A receiver for the peer's stream of `params.peerSsrc`. */
  constructor(params: V2MediaParams) {
    this.#params = params;
    this.#buffer = new JitterBuffer({ frameSamples: params.frameSamples });
    this.#receiver = createMediaReceiver(params.peerSsrc);
  }

  /**
   * Handles one datagram that arrived at `nowMs`. True when it was authentic and new
   * (sealed with the peer's key, inside the replay window, not seen before): the only
   * datagrams that show the peer is still sending. Forgeries and replays give false.
   */
  receive(datagram: Uint8Array, nowMs: number): boolean {
    this.#received++;
    const opened = openMedia(this.#params.receiveKey, this.#receiver, datagram);
    if (!opened.ok) {
      if (opened.code === 'media-replayed' || opened.code === 'media-too-old') this.#replayed++;
      else this.#rejected++;
      if (opened.code === 'media-malformed') this.#malformed++;
      return false;
    }
    // Authentic: its index is marked whatever follows, so a replay of it counts as replayed.
    this.#receiver = opened.value.receiver;
    const { packet, index } = opened.value;
    // The decrypted payload is this receiver's own (openMedia gives bytes of their own): swapped where it lies.
    const samples = packet.payloadType === this.#params.payloadType ? decodeL16InPlace(packet.payload) : undefined;
    if (samples === undefined || samples.length !== this.#params.frameSamples) {
      this.#rejected++;
      this.#malformed++;
      return true;
    }
    this.#accepted++;
    this.#lowest = Math.min(this.#lowest, index);
    this.#highest = Math.max(this.#highest, index);
    this.#buffer.put({ sequence: packet.sequence, timestamp: packet.timestamp, payload: samples }, nowMs);
    return true;
  }

  /** The frame to play at `nowMs` (played, concealed or silence). */
  playout(nowMs: number): PlayoutFrame {
    return this.#buffer.get(nowMs);
  }

  /** A snapshot of the counters. */
  stats(): SecureReceiverStats {
    const jitter = this.#buffer.stats();
    return {
      packetsReceived: this.#received,
      packetsLost: this.#accepted === 0 ? 0 : this.#highest - this.#lowest + 1 - this.#accepted,
      packetsRejected: this.#rejected,
      packetsMalformed: this.#malformed,
      packetsReplayed: this.#replayed + jitter.duplicate,
      packetsLate: jitter.late,
      packetsDiscarded: jitter.discarded,
      packetsConcealed: jitter.concealed,
      packetsBuffered: jitter.buffered,
      jitterMs: jitter.jitterMs,
      playoutDelayMs: jitter.playoutDelayMs,
    };
  }
}
