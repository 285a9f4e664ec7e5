/** Classic call signalling (START, ACCEPT, REJECT, CLOSE) and classic audio datagrams (PROTOCOL.md section 2). */
import { CLASSIC_AUDIO } from './constants.js';
import { InvalidNameError, validateName } from './name.js';
import { fail, ok, type Result } from './result.js';

/** A classic call-signalling message (PROTOCOL.md section 2, classic form). */
export type ClassicSignal = { readonly type: 'START'; readonly caller: string } | { readonly type: 'ACCEPT' } | { readonly type: 'REJECT' } | { readonly type: 'CLOSE' };

/** Why a datagram is not a classic signal. */
export type SignalErrorCode = 'signal-empty' | 'signal-not-ascii' | 'signal-unknown' | 'signal-missing-caller';

/** What a datagram on the call port carries. */
export type ClassicDatagram =
  | { readonly kind: 'signal'; readonly signal: ClassicSignal }
  | { readonly kind: 'audio'; readonly pcm: Uint8Array }
  | { readonly kind: 'invalid'; readonly code: SignalErrorCode | 'audio-bad-length'; readonly detail: string };

const encoder = new TextEncoder();

/** Longest datagram read as a signal: `START ` and a 32-character name fit with room to spare. */
const MAX_SIGNAL_BYTES = 64;

/**
 * Thrown by {@link encodeClassicPcm} and {@link decodeClassicPcm} when given anything
 * but one classic frame (512 samples, 1024 bytes): a bug in the caller, not bad input
 * from the network, which {@link classifyClassicDatagram} sorts out first.
 */
export class ClassicFrameSizeError extends Error {
  override readonly name = 'ClassicFrameSizeError';
  /** Stable code for programs. */
  readonly code = 'audio-bad-length';
  /** The length given, in bytes. */
  readonly byteLength: number;

  constructor(byteLength: number) {
    super(`a classic audio frame is ${CLASSIC_AUDIO.bytesPerFrame} bytes (${CLASSIC_AUDIO.samplesPerFrame} samples), got ${byteLength} bytes`);
    this.byteLength = byteLength;
  }
}

/**
 * Encodes a classic signal as its ASCII datagram: `START <caller>`, `ACCEPT`, `REJECT`,
 * `CLOSE`, with no terminator (the reference client sends none).
 * @throws {InvalidNameError} when a START's caller is not a valid name.
 */
export function encodeClassicSignal(signal: ClassicSignal): Uint8Array {
  if (signal.type === 'START') {
    const valid = validateName(signal.caller);
    if (!valid.ok) throw new InvalidNameError(signal.caller, valid.code, valid.detail);
  }
  return encoder.encode(signal.type === 'START' ? `START ${signal.caller}` : signal.type);
}

function isPadding(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x00;
}

/**
 * Decodes a classic signalling datagram. The whole rest of a `START` datagram is the
 * caller's name (the reference client's `split(" ")[1]` would cut names with spaces);
 * whether that name is registered is for the directory to say. Trailing CR, LF and NUL
 * are tolerated; any other byte outside printable ASCII is refused. Never throws.
 */
export function decodeClassicSignal(bytes: Uint8Array): Result<ClassicSignal, SignalErrorCode> {
  let end = bytes.length;
  while (end > 0 && isPadding(bytes[end - 1]!)) end--;
  if (end === 0) return fail('signal-empty', 'empty datagram');
  if (end > MAX_SIGNAL_BYTES) return fail('signal-unknown', `datagram of ${bytes.length} bytes is too long for a signal`);
  let text = '';
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e) return fail('signal-not-ascii', 'datagram is not printable ASCII');
    text += String.fromCharCode(b);
  }
  if (text === 'ACCEPT' || text === 'REJECT' || text === 'CLOSE') return ok({ type: text });
  if (text === 'START' || text === 'START ') return fail('signal-missing-caller', 'START without a caller name');
  if (text.startsWith('START ')) return ok({ type: 'START', caller: text.slice('START '.length) });
  return fail('signal-unknown', `unknown signal ${JSON.stringify(text.slice(0, 16))}`);
}

/**
 * Sorts a datagram received on the call port: exactly 1024 bytes is a classic audio
 * frame (signals are never that long: a name is at most 32 characters); anything
 * else must decode as a signal. Audio is never guessed from "failed to decode as text".
 */
export function classifyClassicDatagram(bytes: Uint8Array): ClassicDatagram {
  if (bytes.length === CLASSIC_AUDIO.bytesPerFrame) return { kind: 'audio', pcm: bytes };
  if (bytes.length > MAX_SIGNAL_BYTES) {
    return { kind: 'invalid', code: 'audio-bad-length', detail: `audio datagram of ${bytes.length} bytes, expected ${CLASSIC_AUDIO.bytesPerFrame}` };
  }
  const decoded = decodeClassicSignal(bytes);
  return decoded.ok ? { kind: 'signal', signal: decoded.value } : { kind: 'invalid', code: decoded.code, detail: decoded.detail };
}

/**
 * True when this host stores numbers little-endian, so that s16le bytes and an
 * Int16Array share one layout. Probed with a typed array: no `os` module here.
 */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts one classic audio datagram (s16le, 1024 bytes) to its 512 samples.
 *
 * On a little-endian host the samples are a view of the datagram's memory when its
 * offset is even (no copy): keep the bytes unchanged while the samples are in use, or
 * pass a copy. Otherwise (odd offset, big-endian host) the samples are a new array.
 * @throws {ClassicFrameSizeError} when the datagram is not 1024 bytes.
 */
export function decodeClassicPcm(bytes: Uint8Array): Int16Array {
  if (bytes.length !== CLASSIC_AUDIO.bytesPerFrame) throw new ClassicFrameSizeError(bytes.length);
  if (!HOST_IS_LITTLE_ENDIAN) return decodeS16leByDataView(bytes);
  // An Int16Array view needs an even offset; an odd one costs one copy into a fresh buffer.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Int16Array(aligned.buffer, aligned.byteOffset, CLASSIC_AUDIO.samplesPerFrame);
}

/**
 * Converts 512 samples to one classic audio datagram (s16le, 1024 bytes).
 *
 * On a little-endian host the datagram is a view of the samples' memory (no copy):
 * keep the samples unchanged while the datagram is in use (until `send` returns, or
 * later if the transport queues it). On a big-endian host it is a new array.
 * @throws {ClassicFrameSizeError} when not given exactly 512 samples.
 */
export function encodeClassicPcm(samples: Int16Array): Uint8Array {
  if (samples.length !== CLASSIC_AUDIO.samplesPerFrame) throw new ClassicFrameSizeError(samples.length * 2);
  if (!HOST_IS_LITTLE_ENDIAN) return encodeS16leByDataView(samples);
  return new Uint8Array(samples.buffer, samples.byteOffset, CLASSIC_AUDIO.bytesPerFrame);
}

/**
 * The portable decoder (any host byte order; always a new array). Used on big-endian
 * hosts; exported for tests only, not from the package index.
 * @internal
 */
export function decodeS16leByDataView(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/**
 * The portable encoder (any host byte order; always a new array). Used on big-endian
 * hosts; exported for tests only, not from the package index.
 * @internal
 */
export function encodeS16leByDataView(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}
