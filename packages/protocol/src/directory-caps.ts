/** The media capabilities a v2 client announces in REG and the directory relays to v2 askers: their JSON form and its validation. */
import { fail, ok, type Result } from './result.js';

/** One media format in a directory `caps` object. */
export interface DirectoryFormat {
  /** Codec name, e.g. `"L16"`. Names a client does not know are kept and relayed, and that client ignores them. */
  readonly codec: string;
  /** Sample rate in Hz. */
  readonly rate: number;
  /** Samples per frame the client accepts, most preferred first. */
  readonly frames: readonly number[];
}

/** The `caps` of a v2 REG: `{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}`. */
export interface DirectoryCaps {
  /** The formats, most preferred first. */
  readonly formats: readonly DirectoryFormat[];
}

/** Bounds on `caps`, so that every stored entry stays small (at most about 1 KiB of JSON). */
export const DIRECTORY_CAPS_LIMITS = Object.freeze({
  /** Most formats in one `caps`. */
  maxFormats: 8,
  /** Most frame sizes in one format. */
  maxFrames: 8,
  /** Longest codec name, in characters. */
  maxCodecLength: 16,
  /** Highest sample rate, in Hz. */
  maxRate: 384000,
  /** Largest frame, in samples. */
  maxFrameSamples: 65535,
});

/** What v2 clients of this version announce: L16 at 8 kHz, 20 ms frames (160 samples) preferred, 512 still offered. */
export const DEFAULT_DIRECTORY_CAPS: DirectoryCaps = Object.freeze({
  formats: Object.freeze([Object.freeze({ codec: 'L16', rate: 8000, frames: Object.freeze([160, 512]) })]),
});

/** Which rule a `caps` value broke. */
export type DirectoryCapsErrorCode = 'caps-not-object' | 'bad-formats' | 'bad-format' | 'bad-codec' | 'bad-rate' | 'bad-frames';

const CODEC_NAME = /^[A-Za-z0-9._-]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function decodeFormat(value: unknown, at: string): Result<DirectoryFormat, DirectoryCapsErrorCode> {
  const limits = DIRECTORY_CAPS_LIMITS;
  if (!isRecord(value)) return fail('bad-format', `"${at}" must be an object`);
  const codec = own(value, 'codec');
  if (typeof codec !== 'string' || codec.length === 0 || codec.length > limits.maxCodecLength || !CODEC_NAME.test(codec)) {
    return fail('bad-codec', `"${at}.codec" must be 1-${limits.maxCodecLength} letters, digits, ".", "_" or "-"`);
  }
  const rate = own(value, 'rate');
  if (!isIntIn(rate, 1, limits.maxRate)) return fail('bad-rate', `"${at}.rate" must be an integer from 1 to ${limits.maxRate}`);
  const frames = own(value, 'frames');
  if (!Array.isArray(frames) || frames.length === 0 || frames.length > limits.maxFrames || !frames.every((f) => isIntIn(f, 1, limits.maxFrameSamples))) {
    return fail('bad-frames', `"${at}.frames" must list 1-${limits.maxFrames} integers from 1 to ${limits.maxFrameSamples}`);
  }
  return ok({ codec, rate, frames: [...(frames as number[])] });
}

/**
 * Checks a `caps` value from the wire and returns it in canonical form: only
 * `formats` and, in each, `codec`, `rate` and `frames`, in that order (other fields
 * are dropped). Codec names are not checked against a list: an unknown one is kept,
 * for clients that know it. Never throws.
 */
export function decodeDirectoryCaps(value: unknown): Result<DirectoryCaps, DirectoryCapsErrorCode> {
  if (!isRecord(value)) return fail('caps-not-object', '"caps" must be an object');
  const formats = own(value, 'formats');
  const max = DIRECTORY_CAPS_LIMITS.maxFormats;
  if (!Array.isArray(formats) || formats.length === 0 || formats.length > max) {
    return fail('bad-formats', `"caps.formats" must list 1-${max} formats`);
  }
  const decoded: DirectoryFormat[] = [];
  for (const [i, format] of formats.entries()) {
    const result = decodeFormat(format, `caps.formats[${i}]`);
    if (!result.ok) return result;
    decoded.push(result.value);
  }
  return ok({ formats: decoded });
}
