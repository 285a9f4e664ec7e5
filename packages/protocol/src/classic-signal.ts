import { CLASSIC_AUDIO } from './constants.js';
import { fail, ok, type Result } from './result.js';

/** A classic call-signalling message (PROTOCOL.md section 2, classic form). */
export type ClassicSignal =
  | { readonly type: 'START'; readonly caller: string }
  | { readonly type: 'ACCEPT' }
  | { readonly type: 'REJECT' }
  | { readonly type: 'CLOSE' };

/** Why a datagram is not a classic signal. */
export type SignalErrorCode = 'signal-empty' | 'signal-not-ascii' | 'signal-unknown' | 'signal-missing-caller';

/** What a datagram on the call port carries. */
export type ClassicDatagram =
  | { readonly kind: 'signal'; readonly signal: ClassicSignal }
  | { readonly kind: 'audio'; readonly pcm: Uint8Array }
  | { readonly kind: 'invalid'; readonly code: SignalErrorCode | 'audio-bad-length'; readonly detail: string };

const encoder = new TextEncoder();

/** Encodes a classic signal as its ASCII datagram: `START <caller>`, `ACCEPT`, `REJECT`, `CLOSE`. */
export function encodeClassicSignal(signal: ClassicSignal): Uint8Array {
  return encoder.encode(signal.type === 'START' ? `START ${signal.caller}` : signal.type);
}

/**
 * Decodes a classic signalling datagram. The whole rest of a `START` datagram is the
 * caller's name (the reference client's `split(" ")[1]` would cut names with spaces).
 * Trailing CR/LF and NUL padding are tolerated. Never throws.
 */
export function decodeClassicSignal(bytes: Uint8Array): Result<ClassicSignal, SignalErrorCode> {
  if (bytes.length === 0) return fail('signal-empty', 'empty datagram');
  let text = '';
  for (const b of bytes) {
    if (b > 0x7e || (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x00)) {
      return fail('signal-not-ascii', 'datagram is not printable ASCII');
    }
    text += String.fromCharCode(b);
  }
  text = text.replace(/[\r\n\0]+$/, '');
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
  if (bytes.length > 64) {
    return { kind: 'invalid', code: 'audio-bad-length', detail: `audio datagram of ${bytes.length} bytes, expected ${CLASSIC_AUDIO.bytesPerFrame}` };
  }
  const decoded = decodeClassicSignal(bytes);
  return decoded.ok ? { kind: 'signal', signal: decoded.value } : { kind: 'invalid', code: decoded.code, detail: decoded.detail };
}

/** Converts one classic audio datagram (s16le) to samples; the input must be 1024 bytes. */
export function decodeClassicPcm(bytes: Uint8Array): Int16Array {
  const samples = new Int16Array(bytes.length >> 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
  return samples;
}

/** Converts 512 samples to one classic audio datagram (s16le, 1024 bytes). */
export function encodeClassicPcm(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}
