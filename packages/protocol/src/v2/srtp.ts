/** SRTP-like media protection as RFC 7714 does for AES-GCM: the RTP header as AAD, the payload encrypted, IV = salt XOR (SSRC, ROC, SEQ), ROC estimated as RFC 3711 section 3.3.1 does. */
import { fail, ok, type Result } from '../result.js';
import { isIntIn, type RandomBytes } from './bytes.js';
import { NONCE_BYTES, openSealed, sealInto, xorNonce, xorNonceInto } from './aead.js';
import { AEAD_TAG_BYTES, CLASSIC_AUDIO_BYTES, RTP_HEADER_BYTES } from './demux.js';
import { V2EncodeError } from './encode-error.js';
import type { DirectionKey } from './key-agreement.js';
import { ReplayWindow } from './replay-window.js';
import { decodeRtpHeader, writeRtpHeader, type RtpPacket } from './rtp.js';

/** Largest packet index (2^16 ROC + SEQ) one media key may seal: 2^48 - 1 (RFC 7714 section 8.1 allows no more). */
export const MAX_PACKET_INDEX = 2 ** 48 - 1;

/** The 12-byte IV of RFC 7714 section 8.1: (0x0000 || SSRC || ROC || SEQ) XOR salt, where index = 2^16 ROC + SEQ. */
export function srtpIv(salt: Uint8Array, ssrc: number, index: number): Uint8Array {
  return xorNonce(salt, ssrc, index);
}

/** Where a sender starts its stream: a random SSRC and timestamp, and a random first sequence number below 2^15 (libSRTP FAQ Q6: a receiver keeps the ROC even if the first 2^15 packets are lost). */
export function randomMediaStart(random: RandomBytes): { ssrc: number; firstSequence: number; firstTimestamp: number } {
  const view = new DataView(random(10).slice().buffer);
  return { ssrc: view.getUint32(0), firstSequence: view.getUint16(4) & 0x7fff, firstTimestamp: view.getUint32(6) };
}

/**
 * `length` bytes for a datagram that is then written whole (header, ciphertext, tag):
 * a view into Node's shared Buffer pool rather than a backing store of its own, which
 * costs an allocation the garbage collector tracks apart, 50 times a second per call.
 * Not zeroed: every byte is written before the view leaves the sealer.
 */
function pooledBytes(length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}

/** Where a {@link MediaSealer} starts. */
export interface MediaSealerOptions {
  /** This side's SSRC, as announced in OFFER or ANSWER. */
  readonly ssrc: number;
  /** Sequence number of the first packet (see {@link randomMediaStart}). */
  readonly firstSequence: number;
  /** Rollover counter of the first packet; 0 for a new stream (RFC 3711 section 3.3.1). */
  readonly rolloverCounter?: number;
}

/** One frame to send. */
export interface MediaFrame {
  /** The ANSWER's payload type. */
  readonly payloadType: number;
  /** RTP timestamp of the first sample (media clock: first timestamp + frame index x frame size, mod 2^32). */
  readonly timestamp: number;
  /** The encoded samples (L16: big-endian). */
  readonly payload: Uint8Array;
  /** M bit: first packet after silence. */
  readonly marker?: boolean;
}

/** A sealed RTP packet and the packet index its IV was built from. */
export interface SealedMedia {
  /** The datagram: 12-byte header, encrypted payload, 16-byte tag; never 1024 bytes. */
  readonly bytes: Uint8Array;
  /** 2^16 ROC + SEQ. */
  readonly index: number;
}

/**
 * Seals one direction's RTP stream under one key. It numbers the packets itself (SEQ
 * and ROC from one counter), so an IV never repeats; past {@link MAX_PACKET_INDEX} it
 * refuses. A packet that would be exactly 1024 bytes gets one byte of RTP padding.
 */
export class MediaSealer {
  private next: number;
  private readonly ssrc: number;
  private readonly nonce = new Uint8Array(NONCE_BYTES);

  /** @param key this side's `media.send` key from {@link deriveCallKeys}. */
  constructor(
    private readonly key: DirectionKey,
    options: MediaSealerOptions,
  ) {
    if (!isIntIn(options.ssrc, 0, 0xffffffff)) throw new V2EncodeError('ssrc', 'must be an integer 0 to 2^32-1');
    if (!isIntIn(options.firstSequence, 0, 0xffff)) throw new V2EncodeError('firstSequence', 'must be an integer 0-65535');
    const roc = options.rolloverCounter ?? 0;
    if (!isIntIn(roc, 0, 0xffffffff)) throw new V2EncodeError('rolloverCounter', 'must be an integer 0 to 2^32-1');
    this.ssrc = options.ssrc;
    this.next = roc * 0x10000 + options.firstSequence;
  }

  /** The index the next packet gets. */
  get nextIndex(): number {
    return this.next;
  }

  /**
   * Seals `frame` as the next packet.
   * @throws {V2EncodeError} when a header field is out of range.
   */
  seal(frame: MediaFrame): Result<SealedMedia, 'media-exhausted'> {
    const index = this.next;
    if (index > MAX_PACKET_INDEX) return fail('media-exhausted', 'this media key has sealed 2^48 packets: end the call');
    const padding = RTP_HEADER_BYTES + frame.payload.length + AEAD_TAG_BYTES === CLASSIC_AUDIO_BYTES;
    let plaintext = frame.payload;
    if (padding) {
      plaintext = new Uint8Array(frame.payload.length + 1);
      plaintext.set(frame.payload);
      plaintext[frame.payload.length] = 1; // RFC 3550 section 5.1: the last padding byte counts the padding, itself included
    }
    // The header is written in place and is the AAD; the nonce is scratch, copied by the cipher.
    const bytes = pooledBytes(RTP_HEADER_BYTES + plaintext.length + AEAD_TAG_BYTES);
    writeRtpHeader(bytes, padding, frame.marker ?? false, frame.payloadType, index % 0x10000, frame.timestamp, this.ssrc);
    sealInto(this.key.key, xorNonceInto(this.nonce, this.key.salt, this.ssrc, index), bytes.subarray(0, RTP_HEADER_BYTES), plaintext, bytes, RTP_HEADER_BYTES);
    this.next = index + 1;
    return ok({ bytes, index });
  }
}

/** What a receiver keeps about the peer's stream: its SSRC and the replay window, whose top is the highest index (ROC and s_l) accepted. */
export interface MediaReceiver {
  /** The SSRC the peer announced; packets from any other are refused. */
  readonly ssrc: number;
  /** Indices already accepted. */
  readonly window: ReplayWindow;
}

/** A receiver for the peer's stream before its first packet (ROC 0, s_l from the first packet). */
export function createMediaReceiver(ssrc: number, windowSize?: number): MediaReceiver {
  return { ssrc, window: ReplayWindow.create(windowSize) };
}

/**
 * The packet index of sequence number `seq` given the highest index accepted so far
 * (`top`, -1 before any): 2^16 v + SEQ with v in {ROC-1, ROC, ROC+1} chosen as RFC 3711
 * Appendix A does. -1 when v would leave 0..2^32-1 (a packet from before the stream).
 */
export function estimatePacketIndex(top: number, seq: number): number {
  if (top < 0) return seq;
  const roc = Math.floor(top / 0x10000);
  const sl = top % 0x10000;
  let v = roc;
  if (sl < 0x8000) {
    if (seq - sl > 0x8000) v = roc - 1;
  } else if (sl - 0x8000 > seq) {
    v = roc + 1;
  }
  const index = v * 0x10000 + seq;
  return v < 0 || index > MAX_PACKET_INDEX ? -1 : index;
}

/** Why a media datagram was dropped: `media-replayed` and `media-too-old` are authentic packets seen before or older than the window. */
export type MediaOpenErrorCode = 'media-malformed' | 'media-bad-ssrc' | 'media-auth-failed' | 'media-replayed' | 'media-too-old';

/** An opened packet, its index, and the receiver to keep for the next one. */
export interface OpenedMedia {
  /** The packet, payload decrypted and padding removed: bytes of its own (never a view of the datagram), the caller's to modify. */
  readonly packet: RtpPacket;
  /** 2^16 ROC + SEQ. */
  readonly index: number;
  /** The receiver with this packet marked. */
  readonly receiver: MediaReceiver;
}

/** The nonce of the packet being opened: scratch, consumed at once by the decipher (which copies it). */
const openNonce = new Uint8Array(NONCE_BYTES);

/**
 * Opens one sealed RTP datagram with the peer's `media.receive` key. The packet is
 * authenticated first, then checked against the replay window, and only then marked:
 * a forgery never moves the window, and a replay counts as replayed only when it is
 * authentic. On failure the caller keeps its old receiver. Never throws.
 */
export function openMedia(key: DirectionKey, receiver: MediaReceiver, bytes: Uint8Array): Result<OpenedMedia, MediaOpenErrorCode> {
  if (bytes.length === CLASSIC_AUDIO_BYTES || bytes.length < RTP_HEADER_BYTES + AEAD_TAG_BYTES) return fail('media-malformed', `${bytes.length} bytes is no v2 media packet`);
  const header = decodeRtpHeader(bytes);
  if (!header.ok) return fail('media-malformed', header.detail);
  if (header.value.ssrc !== receiver.ssrc) return fail('media-bad-ssrc', `SSRC ${header.value.ssrc}, expected ${receiver.ssrc}`);
  const index = estimatePacketIndex(receiver.window.top, header.value.sequence);
  if (index < 0) return fail('media-too-old', `sequence ${header.value.sequence} precedes the stream`);
  const aad = bytes.subarray(0, RTP_HEADER_BYTES);
  const plaintext = openSealed(key.key, xorNonceInto(openNonce, key.salt, receiver.ssrc, index), aad, bytes.subarray(RTP_HEADER_BYTES));
  if (plaintext === undefined) return fail('media-auth-failed', `packet ${index} failed authentication`);
  const verdict = receiver.window.check(index);
  if (verdict === 'replayed') return fail('media-replayed', `packet ${index} was already received`);
  if (verdict === 'too-old') return fail('media-too-old', `packet ${index} is older than the replay window`);
  let payload = plaintext;
  if (header.value.padding) {
    const count = plaintext.length === 0 ? 0 : plaintext[plaintext.length - 1]!;
    if (count === 0 || count > plaintext.length) return fail('media-malformed', 'RTP padding count out of range');
    payload = plaintext.subarray(0, plaintext.length - count);
  }
  const { marker, payloadType, sequence, timestamp, ssrc } = header.value;
  return ok({ packet: { marker, payloadType, sequence, timestamp, ssrc, payload }, index, receiver: { ssrc: receiver.ssrc, window: receiver.window.commit(index) } });
}
