/** Media capabilities that a v2 OFFER lists and an ANSWER picks one of: codec, RTP payload type, clock rate, channels and frame sizes. */
import { ByteReader, ByteWriter, isIntIn } from './bytes.js';
import { V2EncodeError } from './encode-error.js';

/**
 * Codec numbers on the wire. Only L16 is implemented; the others are reserved so that
 * G.711 and Opus join the same negotiation later. A decoder keeps formats with codec
 * numbers it does not know (any 1-255) and {@link negotiateFormat} passes them over.
 */
export const V2_CODEC = Object.freeze({
  /** Linear 16-bit PCM (RFC 3551 section 4.5.11), network byte order on the wire. */
  L16: 1,
  /** G.711 mu-law (reserved). */
  PCMU: 2,
  /** G.711 A-law (reserved). */
  PCMA: 3,
  /** Opus (reserved). */
  OPUS: 4,
});

/** One media format a side can send and receive. */
export interface MediaFormat {
  /** A {@link V2_CODEC} number, 1-255. */
  readonly codec: number;
  /** RTP payload type, 0-127 (96-127 are the dynamic ones, used for L16). */
  readonly payloadType: number;
  /** RTP clock rate in Hz (8000 for L16 here), 1 to 2^32-1. */
  readonly clockRate: number;
  /** Audio channels, 1-255. */
  readonly channels: number;
  /** Samples per frame that the side accepts, most preferred first: 1 to {@link MAX_FRAME_SIZES} values of 1-65535. */
  readonly frameSizes: readonly number[];
}

/** The format an ANSWER settles on: one of the offer's formats with one frame size. */
export interface ChosenFormat {
  /** A {@link V2_CODEC} number. */
  readonly codec: number;
  /** RTP payload type both sides put on media packets. */
  readonly payloadType: number;
  /** RTP clock rate in Hz. */
  readonly clockRate: number;
  /** Audio channels. */
  readonly channels: number;
  /** Samples per frame, both ways. */
  readonly frameSize: number;
}

/** Most formats one OFFER lists. */
export const MAX_FORMATS = 8;

/** Most frame sizes one format lists. */
export const MAX_FRAME_SIZES = 8;

/** v2's default offer: L16 at 8 kHz mono on dynamic payload type 96, 160 samples (20 ms) preferred, 512 (64 ms) still offered. */
export const DEFAULT_V2_CAPS: readonly MediaFormat[] = Object.freeze([
  Object.freeze({ codec: V2_CODEC.L16, payloadType: 96, clockRate: 8000, channels: 1, frameSizes: Object.freeze([160, 512]) }),
]);

function checkCommon(format: Omit<MediaFormat, 'frameSizes'>, field: string): void {
  if (!isIntIn(format.codec, 1, 255)) throw new V2EncodeError(`${field}.codec`, 'must be an integer 1-255');
  if (!isIntIn(format.payloadType, 0, 127)) throw new V2EncodeError(`${field}.payloadType`, 'must be an integer 0-127');
  if (!isIntIn(format.clockRate, 1, 0xffffffff)) throw new V2EncodeError(`${field}.clockRate`, 'must be an integer 1 to 2^32-1');
  if (!isIntIn(format.channels, 1, 255)) throw new V2EncodeError(`${field}.channels`, 'must be an integer 1-255');
}

/** Writes a caps list: u8 count, then per format u8 codec, u8 PT, u32 clock rate, u8 channels, u8 n, n x u16 frame size. @internal */
export function writeCaps(writer: ByteWriter, caps: readonly MediaFormat[]): void {
  if (caps.length < 1 || caps.length > MAX_FORMATS) throw new V2EncodeError('caps', `must list 1-${MAX_FORMATS} formats`);
  writer.u8(caps.length);
  caps.forEach((format, i) => {
    checkCommon(format, `caps[${i}]`);
    const sizes = format.frameSizes;
    if (sizes.length < 1 || sizes.length > MAX_FRAME_SIZES) throw new V2EncodeError(`caps[${i}].frameSizes`, `must list 1-${MAX_FRAME_SIZES} sizes`);
    writer.u8(format.codec).u8(format.payloadType).u32(format.clockRate).u8(format.channels).u8(sizes.length);
    for (const size of sizes) {
      if (!isIntIn(size, 1, 0xffff)) throw new V2EncodeError(`caps[${i}].frameSizes`, 'each must be an integer 1-65535');
      writer.u16(size);
    }
  });
}

/** Reads a caps list written by {@link writeCaps}; undefined when a count or value is out of range. @internal */
export function readCaps(reader: ByteReader): MediaFormat[] | undefined {
  const count = reader.u8();
  if (count < 1 || count > MAX_FORMATS) return undefined;
  const caps: MediaFormat[] = [];
  for (let i = 0; i < count; i++) {
    const codec = reader.u8();
    const payloadType = reader.u8();
    const clockRate = reader.u32();
    const channels = reader.u8();
    const n = reader.u8();
    if (n < 1 || n > MAX_FRAME_SIZES) return undefined;
    const frameSizes: number[] = [];
    for (let j = 0; j < n; j++) frameSizes.push(reader.u16());
    if (reader.failed || codec === 0 || payloadType > 127 || clockRate === 0 || channels === 0 || frameSizes.includes(0)) return undefined;
    caps.push({ codec, payloadType, clockRate, channels, frameSizes });
  }
  return caps;
}

/** Writes a chosen format: u8 codec, u8 PT, u32 clock rate, u8 channels, u16 frame size. @internal */
export function writeChosen(writer: ByteWriter, format: ChosenFormat): void {
  checkCommon(format, 'format');
  if (!isIntIn(format.frameSize, 1, 0xffff)) throw new V2EncodeError('format.frameSize', 'must be an integer 1-65535');
  writer.u8(format.codec).u8(format.payloadType).u32(format.clockRate).u8(format.channels).u16(format.frameSize);
}

/** Reads a chosen format written by {@link writeChosen}. @internal */
export function readChosen(reader: ByteReader): ChosenFormat | undefined {
  const format = { codec: reader.u8(), payloadType: reader.u8(), clockRate: reader.u32(), channels: reader.u8(), frameSize: reader.u16() };
  if (reader.failed || format.codec === 0 || format.payloadType > 127 || format.clockRate === 0 || format.channels === 0 || format.frameSize === 0) return undefined;
  return format;
}

/** The canonical bytes of a caps list (as in an OFFER), which the key-agreement transcript hashes. */
export function encodeCaps(caps: readonly MediaFormat[]): Uint8Array {
  const writer = new ByteWriter();
  writeCaps(writer, caps);
  return writer.finish();
}

/**
 * Picks what an ANSWER carries: the first offered format (the offerer's order) whose
 * codec, clock rate and channels the answerer supports, with the first of its frame
 * sizes the answerer also lists, on the offerer's payload type. Undefined when nothing
 * matches (the answerer then rejects the call).
 */
export function negotiateFormat(offered: readonly MediaFormat[], supported: readonly MediaFormat[]): ChosenFormat | undefined {
  for (const offer of offered) {
    const local = supported.find((s) => s.codec === offer.codec && s.clockRate === offer.clockRate && s.channels === offer.channels);
    const frameSize = local && offer.frameSizes.find((size) => local.frameSizes.includes(size));
    if (frameSize !== undefined) {
      return { codec: offer.codec, payloadType: offer.payloadType, clockRate: offer.clockRate, channels: offer.channels, frameSize };
    }
  }
  return undefined;
}
