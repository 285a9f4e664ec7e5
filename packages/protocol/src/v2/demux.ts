/** Telling v2 signalling, v2 media (RTP) and everything else apart by a datagram's first byte and length, in the manner of RFC 7983. */
import { CLASSIC_AUDIO } from '../constants.js';

/**
 * First byte of every v2 signalling datagram. It lies in 4..15, the range that RFC 7983
 * (and RFC 9443) assign to no protocol, far from printable ASCII (0x20-0x7e, where every
 * classic signal word lives) and from RTP (128-191).
 */
export const V2_SIGNAL_MARKER = 0x0e;

/** Protocol version carried in the second byte of every v2 signalling datagram. */
export const V2_SIGNAL_VERSION = 2;

/** Bytes of the v2 signalling header (marker, version, type, flags, call id, message id). */
export const V2_SIGNAL_HEADER_BYTES = 16;

/** Largest v2 signalling datagram, sealed or not; well below the classic audio length. */
export const MAX_V2_SIGNAL_BYTES = 512;

/** First byte of an RTP or RTCP packet (version 2) per RFC 7983: 128 to 191. */
export const RTP_FIRST_BYTE = Object.freeze({ min: 128, max: 191 });

/** Bytes of the fixed RTP header (RFC 3550 section 5.1, no CSRC, no extension). */
export const RTP_HEADER_BYTES = 12;

/** Bytes of the AES-GCM authentication tag on every sealed datagram. */
export const AEAD_TAG_BYTES = 16;

/** The one length no v2 datagram ever has: a classic audio frame's. */
export const CLASSIC_AUDIO_BYTES = CLASSIC_AUDIO.bytesPerFrame;

/** What a datagram on the call port is, as far as v2 is concerned. */
export type V2DatagramKind = 'signal' | 'media' | 'other';

/**
 * Sorts a datagram received on the call port without decoding it. Exactly 1024 bytes
 * is always `other` (a classic audio frame: no v2 datagram has that length, see
 * {@link CLASSIC_AUDIO_BYTES}); a first byte of {@link V2_SIGNAL_MARKER} with at least
 * a header is `signal`; a first byte in 128-191 with at least a header and a tag is
 * `media`; anything else (a classic signal word, stray bytes) is `other`, which a v2
 * client hands to the classic classifier. Never throws.
 */
export function classifyV2Datagram(bytes: Uint8Array): V2DatagramKind {
  if (bytes.length === CLASSIC_AUDIO_BYTES || bytes.length === 0) return 'other';
  const first = bytes[0]!;
  if (first === V2_SIGNAL_MARKER) {
    return bytes.length >= V2_SIGNAL_HEADER_BYTES && bytes.length <= MAX_V2_SIGNAL_BYTES ? 'signal' : 'other';
  }
  if (first >= RTP_FIRST_BYTE.min && first <= RTP_FIRST_BYTE.max) {
    return bytes.length >= RTP_HEADER_BYTES + AEAD_TAG_BYTES ? 'media' : 'other';
  }
  return 'other';
}
