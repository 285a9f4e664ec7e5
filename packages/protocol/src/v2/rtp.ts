/** The fixed 12-byte RTP header (RFC 3550 section 5.1) as v2 sends it: version 2, no extension, no CSRC. */
import { fail, ok, type Result } from '../result.js';
import { isIntIn } from './bytes.js';
import { RTP_HEADER_BYTES } from './demux.js';
import { V2EncodeError } from './encode-error.js';

/** The fields of a v2 RTP header. */
export interface RtpHeader {
  /** P bit: the payload ends with padding whose last byte counts it (RFC 3550 section 5.1). */
  readonly padding: boolean;
  /** M bit: for audio, the first packet after silence (RFC 3551 section 4.1). */
  readonly marker: boolean;
  /** Payload type, 0-127 (the ANSWER's). */
  readonly payloadType: number;
  /** Sequence number, 0-65535, one more per packet, wrapping. */
  readonly sequence: number;
  /** Timestamp in clock-rate units of the first sample, 0 to 2^32-1, wrapping. */
  readonly timestamp: number;
  /** Synchronisation source of the stream (from OFFER or ANSWER). */
  readonly ssrc: number;
}

/** A received RTP packet, opened. */
export interface RtpPacket extends Omit<RtpHeader, 'padding'> {
  /** The payload, padding removed (L16: big-endian samples, RFC 3551 section 4.5.11). */
  readonly payload: Uint8Array;
}

/** Encodes the 12 header bytes: V=2, P, X=0, CC=0, M, PT, sequence, timestamp, SSRC. @throws {V2EncodeError} when a field is out of range. */
export function encodeRtpHeader(header: RtpHeader): Uint8Array {
  if (!isIntIn(header.payloadType, 0, 127)) throw new V2EncodeError('payloadType', 'must be an integer 0-127');
  if (!isIntIn(header.sequence, 0, 0xffff)) throw new V2EncodeError('sequence', 'must be an integer 0-65535');
  if (!isIntIn(header.timestamp, 0, 0xffffffff)) throw new V2EncodeError('timestamp', 'must be an integer 0 to 2^32-1');
  if (!isIntIn(header.ssrc, 0, 0xffffffff)) throw new V2EncodeError('ssrc', 'must be an integer 0 to 2^32-1');
  const bytes = new Uint8Array(RTP_HEADER_BYTES);
  writeRtpHeader(bytes, header.padding, header.marker, header.payloadType, header.sequence, header.timestamp, header.ssrc);
  return bytes;
}

/**
 * Writes the 12 header bytes at the start of `out`, as {@link encodeRtpHeader} encodes
 * them; checks the payload type and timestamp, the caller the sequence number and SSRC
 * (a sealer's own, checked once).
 * @throws {V2EncodeError} when the payload type or timestamp is out of range.
 * @internal
 */
export function writeRtpHeader(out: Uint8Array, padding: boolean, marker: boolean, payloadType: number, sequence: number, timestamp: number, ssrc: number): void {
  if (!isIntIn(payloadType, 0, 127)) throw new V2EncodeError('payloadType', 'must be an integer 0-127');
  if (!isIntIn(timestamp, 0, 0xffffffff)) throw new V2EncodeError('timestamp', 'must be an integer 0 to 2^32-1');
  out[0] = 0x80 | (padding ? 0x20 : 0);
  out[1] = (marker ? 0x80 : 0) | payloadType;
  out[2] = sequence >>> 8;
  out[3] = sequence & 0xff;
  out[4] = timestamp >>> 24;
  out[5] = (timestamp >>> 16) & 0xff;
  out[6] = (timestamp >>> 8) & 0xff;
  out[7] = timestamp & 0xff;
  out[8] = ssrc >>> 24;
  out[9] = (ssrc >>> 16) & 0xff;
  out[10] = (ssrc >>> 8) & 0xff;
  out[11] = ssrc & 0xff;
}

/** Why bytes are not a v2 RTP header. */
export type RtpHeaderErrorCode = 'rtp-too-short' | 'rtp-bad-version' | 'rtp-unsupported';

/** Decodes the first 12 bytes; refuses versions other than 2, and extensions or CSRCs (v2 sends neither). Never throws. */
export function decodeRtpHeader(bytes: Uint8Array): Result<RtpHeader, RtpHeaderErrorCode> {
  if (bytes.length < RTP_HEADER_BYTES) return fail('rtp-too-short', `${bytes.length} bytes, the RTP header alone is ${RTP_HEADER_BYTES}`);
  const first = bytes[0]!;
  if (first >>> 6 !== 2) return fail('rtp-bad-version', `RTP version ${first >>> 6}, expected 2`);
  if ((first & 0x1f) !== 0) return fail('rtp-unsupported', 'RTP header extension or CSRC list present');
  // Read byte by byte: a DataView would be one more object a packet.
  return ok({
    padding: (first & 0x20) !== 0,
    marker: (bytes[1]! & 0x80) !== 0,
    payloadType: bytes[1]! & 0x7f,
    sequence: (bytes[2]! << 8) | bytes[3]!,
    timestamp: ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0,
    ssrc: ((bytes[8]! << 24) | (bytes[9]! << 16) | (bytes[10]! << 8) | bytes[11]!) >>> 0,
  });
}
