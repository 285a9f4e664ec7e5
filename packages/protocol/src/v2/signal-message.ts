/** v2 signalling messages (OFFER, RINGING, KEY, ANSWER, REJECT, BUSY, CANCEL, BYE, ACK): their types, header and bodies, and the cleartext codec. */
import { validateName } from '../name.js';
import { fail, ok, type Result } from '../result.js';
import { ByteReader, ByteWriter, fromHex, isIntIn, toHex } from './bytes.js';
import { readCaps, readChosen, writeCaps, writeChosen, type ChosenFormat, type MediaFormat } from './caps.js';
import { MAX_V2_SIGNAL_BYTES, V2_SIGNAL_HEADER_BYTES, V2_SIGNAL_MARKER, V2_SIGNAL_VERSION } from './demux.js';
import { V2EncodeError } from './encode-error.js';

/** The message types and their numbers on the wire (byte 2 of the header). */
export const V2_SIGNAL_TYPE = Object.freeze({ OFFER: 1, RINGING: 2, KEY: 3, ANSWER: 4, REJECT: 5, BUSY: 6, CANCEL: 7, BYE: 8, ACK: 9 });

/** A v2 signalling message type. */
export type V2SignalType = keyof typeof V2_SIGNAL_TYPE;

/** Bytes of a call id (random, 64 bits). */
export const CALL_ID_BYTES = 8;

/** Bytes of an X25519 public key. */
export const PUBLIC_KEY_BYTES = 32;

/** Bytes of a key commitment (SHA-256). */
export const COMMITMENT_BYTES = 32;

/** Fields every message carries. */
interface Base {
  /** The call, as 16 lower-case hex digits (64 random bits, {@link createCallId}). */
  readonly callId: string;
  /** This sender's number for the message within the call, 0 to 2^32-1, never reused: an ACK names it, a receiver drops repeats by it. */
  readonly messageId: number;
}

/** A v2 signalling message. */
export type V2Signal =
  | (Base & {
      readonly type: 'OFFER';
      /** The caller's registered name. */
      readonly caller: string;
      /** The callee's registered name. */
      readonly callee: string;
      /** SSRC of the caller's RTP stream. */
      readonly ssrc: number;
      /** Formats the caller can use, most preferred first. */
      readonly caps: readonly MediaFormat[];
      /** SHA-256 commitment to the caller's public key ({@link commit}). */
      readonly commitment: Uint8Array;
    })
  | (Base & {
      /** RINGING carries the callee's public key, KEY reveals the caller's. */
      readonly type: 'RINGING' | 'KEY';
      /** A 32-byte X25519 public key. */
      readonly publicKey: Uint8Array;
    })
  | (Base & {
      readonly type: 'ANSWER';
      /** SSRC of the callee's RTP stream. */
      readonly ssrc: number;
      /** The format both sides use. */
      readonly format: ChosenFormat;
    })
  | (Base & { readonly type: 'REJECT' | 'BUSY' | 'CANCEL' | 'BYE' })
  | (Base & {
      readonly type: 'ACK';
      /** The message id being acknowledged. */
      readonly acknowledges: number;
    });

/** The cleartext header of a signalling datagram, readable before any key is known. */
export interface V2SignalHeader {
  /** The message type. */
  readonly type: V2SignalType;
  /** True when the body is sealed ({@link openV2Signal} reads it). */
  readonly sealed: boolean;
  /** The call id, as 16 lower-case hex digits. */
  readonly callId: string;
  /** The message id. */
  readonly messageId: number;
}

/** Why bytes are not a v2 signalling message. */
export type V2SignalErrorCode =
  | 'signal-not-v2'
  | 'signal-bad-version'
  | 'signal-bad-type'
  | 'signal-bad-flags'
  | 'signal-too-long'
  | 'signal-malformed'
  | 'signal-sealed'
  | 'signal-not-sealed'
  | 'signal-auth-failed';

const TYPE_BY_NUMBER = new Map<number, V2SignalType>(Object.entries(V2_SIGNAL_TYPE).map(([name, n]) => [n, name as V2SignalType]));
const SEALED_FLAG = 0x01;
const CALL_ID = /^[0-9a-f]{16}$/;

/** The 8 bytes of a call id given as 16 lower-case hex digits. @throws {V2EncodeError} for anything else. @internal */
export function callIdBytes(callId: string): Uint8Array {
  if (typeof callId !== 'string' || !CALL_ID.test(callId)) throw new V2EncodeError('callId', 'must be 16 lower-case hex digits');
  return fromHex(callId);
}

/** True when `callId` is 16 lower-case hex digits. @internal */
export function isCallId(callId: unknown): callId is string {
  return typeof callId === 'string' && CALL_ID.test(callId);
}

function checkBytes(value: Uint8Array, length: number, field: string): void {
  if (!(value instanceof Uint8Array) || value.length !== length) throw new V2EncodeError(field, `must be ${length} bytes`);
}

/** The 16 header bytes for `message`. @internal */
export function encodeSignalHeader(message: V2Signal, sealed: boolean): Uint8Array {
  const callId = callIdBytes(message.callId);
  if (!isIntIn(message.messageId, 0, 0xffffffff)) throw new V2EncodeError('messageId', 'must be an integer 0 to 2^32-1');
  const type = V2_SIGNAL_TYPE[message.type];
  if (type === undefined) throw new V2EncodeError('type', 'unknown message type');
  return new ByteWriter()
    .u8(V2_SIGNAL_MARKER)
    .u8(V2_SIGNAL_VERSION)
    .u8(type)
    .u8(sealed ? SEALED_FLAG : 0)
    .bytes(callId)
    .u32(message.messageId)
    .finish();
}

function writeName(writer: ByteWriter, name: string, field: string): void {
  const valid = validateName(name);
  if (!valid.ok) throw new V2EncodeError(field, valid.detail);
  writer.u8(name.length).bytes(new TextEncoder().encode(name));
}

/** The body bytes for `message` (before sealing, if it is sealed). @internal */
export function encodeSignalBody(message: V2Signal): Uint8Array {
  const writer = new ByteWriter();
  switch (message.type) {
    case 'OFFER':
      writeName(writer, message.caller, 'caller');
      writeName(writer, message.callee, 'callee');
      if (!isIntIn(message.ssrc, 0, 0xffffffff)) throw new V2EncodeError('ssrc', 'must be an integer 0 to 2^32-1');
      writer.u32(message.ssrc);
      writeCaps(writer, message.caps);
      checkBytes(message.commitment, COMMITMENT_BYTES, 'commitment');
      writer.bytes(message.commitment);
      break;
    case 'RINGING':
    case 'KEY':
      checkBytes(message.publicKey, PUBLIC_KEY_BYTES, 'publicKey');
      writer.bytes(message.publicKey);
      break;
    case 'ANSWER':
      if (!isIntIn(message.ssrc, 0, 0xffffffff)) throw new V2EncodeError('ssrc', 'must be an integer 0 to 2^32-1');
      writer.u32(message.ssrc);
      writeChosen(writer, message.format);
      break;
    case 'ACK':
      if (!isIntIn(message.acknowledges, 0, 0xffffffff)) throw new V2EncodeError('acknowledges', 'must be an integer 0 to 2^32-1');
      writer.u32(message.acknowledges);
      break;
    default:
      break; // REJECT, BUSY, CANCEL, BYE: no body
  }
  return writer.finish();
}

/**
 * Reads the cleartext header of a v2 signalling datagram, sealed or not, so that a
 * receiver can find the call (and its keys) before opening the body. Never throws.
 */
export function peekV2SignalHeader(bytes: Uint8Array): Result<V2SignalHeader, V2SignalErrorCode> {
  if (bytes.length < V2_SIGNAL_HEADER_BYTES || bytes[0] !== V2_SIGNAL_MARKER) return fail('signal-not-v2', 'not a v2 signalling datagram');
  if (bytes.length > MAX_V2_SIGNAL_BYTES) return fail('signal-too-long', `${bytes.length} bytes, at most ${MAX_V2_SIGNAL_BYTES}`);
  if (bytes[1] !== V2_SIGNAL_VERSION) return fail('signal-bad-version', `version ${bytes[1]}, expected ${V2_SIGNAL_VERSION}`);
  const type = TYPE_BY_NUMBER.get(bytes[2]!);
  if (type === undefined) return fail('signal-bad-type', `unknown message type ${bytes[2]}`);
  const flags = bytes[3]!;
  if ((flags & ~SEALED_FLAG) !== 0) return fail('signal-bad-flags', `reserved flag bits set: 0x${flags.toString(16)}`);
  const reader = new ByteReader(bytes.subarray(4, V2_SIGNAL_HEADER_BYTES));
  const callId = toHex(reader.take(CALL_ID_BYTES));
  return ok({ type, sealed: flags === SEALED_FLAG, callId, messageId: reader.u32() });
}

function readName(reader: ByteReader): string | undefined {
  const text = String.fromCharCode(...reader.take(reader.u8()));
  return !reader.failed && validateName(text).ok ? text : undefined;
}

/** Reads a body for `header`; fails with `signal-malformed` on any layout or range error. @internal */
export function decodeSignalBody(header: V2SignalHeader, body: Uint8Array): Result<V2Signal, 'signal-malformed'> {
  const reader = new ByteReader(body);
  const base = { callId: header.callId, messageId: header.messageId };
  let message: V2Signal | undefined;
  switch (header.type) {
    case 'OFFER': {
      const caller = readName(reader);
      const callee = readName(reader);
      const ssrc = reader.u32();
      const caps = readCaps(reader);
      const commitment = reader.take(COMMITMENT_BYTES).slice();
      if (caller !== undefined && callee !== undefined && caps !== undefined) message = { ...base, type: 'OFFER', caller, callee, ssrc, caps, commitment };
      break;
    }
    case 'RINGING':
    case 'KEY':
      message = { ...base, type: header.type, publicKey: reader.take(PUBLIC_KEY_BYTES).slice() };
      break;
    case 'ANSWER': {
      const ssrc = reader.u32();
      const format = readChosen(reader);
      if (format !== undefined) message = { ...base, type: 'ANSWER', ssrc, format };
      break;
    }
    case 'ACK':
      message = { ...base, type: 'ACK', acknowledges: reader.u32() };
      break;
    default:
      message = { ...base, type: header.type };
  }
  if (message === undefined || !reader.complete) return fail('signal-malformed', `${header.type} body of ${body.length} bytes does not match its layout`);
  return ok(message);
}

/**
 * Encodes a cleartext signalling datagram: the header with the sealed flag clear, then
 * the body. Used for what precedes the keys (OFFER, RINGING, KEY, and BUSY, ACK of
 * those); everything else goes through {@link SignalSealer}.
 * @throws {V2EncodeError} when a field is out of range.
 */
export function encodeV2Signal(message: V2Signal): Uint8Array {
  const header = encodeSignalHeader(message, false);
  const body = encodeSignalBody(message);
  const bytes = new Uint8Array(header.length + body.length);
  bytes.set(header);
  bytes.set(body, header.length);
  return bytes;
}

/** Decodes a cleartext signalling datagram; a sealed one fails with `signal-sealed` (open it with {@link openV2Signal}). Never throws. */
export function decodeV2Signal(bytes: Uint8Array): Result<V2Signal, V2SignalErrorCode> {
  const header = peekV2SignalHeader(bytes);
  if (!header.ok) return header;
  if (header.value.sealed) return fail('signal-sealed', `${header.value.type} is sealed: open it with the call's keys`);
  return decodeSignalBody(header.value, bytes.subarray(V2_SIGNAL_HEADER_BYTES));
}
