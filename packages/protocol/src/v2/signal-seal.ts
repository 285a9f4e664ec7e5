/** Sealing v2 signalling after the key agreement: AES-256-GCM over the body, the 16-byte header as AAD, the nonce from the message id. */
import { fail, ok, type Result } from '../result.js';
import { openSealed, sealInto, xorNonce } from './aead.js';
import { AEAD_TAG_BYTES, V2_SIGNAL_HEADER_BYTES } from './demux.js';
import type { DirectionKey } from './key-agreement.js';
import { decodeSignalBody, encodeSignalBody, encodeSignalHeader, peekV2SignalHeader, type V2Signal, type V2SignalErrorCode } from './signal-message.js';

/** Why a sealer refused: the message id does not exceed the last one sealed (its nonce may have been used), or the id space is spent. */
export type SignalSealErrorCode = 'signal-nonce-reuse' | 'signal-exhausted';

/** Largest message id, and so the last nonce, a signalling key can seal. */
export const MAX_SIGNAL_MESSAGE_ID = 0xffffffff;

/**
 * Seals one direction's signalling under one key. The nonce is the key's salt XOR the
 * message id, so the sealer accepts only strictly increasing message ids: a nonce can
 * never repeat under this key. A retransmission resends the bytes already sealed; it is
 * never sealed again.
 */
export class SignalSealer {
  private last = -1;

  /** @param key this side's `signal.send` key from {@link deriveCallKeys}. */
  constructor(private readonly key: DirectionKey) {}

  /** The last message id sealed, or undefined before the first. */
  get lastMessageId(): number | undefined {
    return this.last < 0 ? undefined : this.last;
  }

  /**
   * Seals `message`: its header (sealed flag set) in the clear and authenticated, its
   * body encrypted, then the 16-byte tag.
   * @throws {V2EncodeError} when a field is out of range.
   */
  seal(message: V2Signal): Result<Uint8Array, SignalSealErrorCode> {
    const header = encodeSignalHeader(message, true);
    if (this.last === MAX_SIGNAL_MESSAGE_ID) return fail('signal-exhausted', 'every message id of this key has been used: end the call');
    if (message.messageId <= this.last) return fail('signal-nonce-reuse', `message id ${message.messageId} is not above the last sealed, ${this.last}`);
    const bytes = sealWithHeader(this.key, message, header);
    this.last = message.messageId;
    return ok(bytes);
  }
}

function sealWithHeader(key: DirectionKey, message: V2Signal, header: Uint8Array): Uint8Array {
  const body = encodeSignalBody(message);
  const bytes = new Uint8Array(V2_SIGNAL_HEADER_BYTES + body.length + AEAD_TAG_BYTES);
  bytes.set(header);
  sealInto(key.key, xorNonce(key.salt, 0, message.messageId), header, body, bytes, V2_SIGNAL_HEADER_BYTES);
  return bytes;
}

/**
 * Seals `message` as {@link SignalSealer.seal} does, for a caller that keeps its own
 * message counter as plain data (a pure call machine): the caller must seal each
 * message id at most once under a key, strictly increasing, or nonces repeat.
 * @throws {V2EncodeError} when a field is out of range.
 */
export function sealV2Signal(key: DirectionKey, message: V2Signal): Uint8Array {
  return sealWithHeader(key, message, encodeSignalHeader(message, true));
}

/**
 * Opens a sealed signalling datagram with the peer's `signal.receive` key. Fails with
 * `signal-auth-failed` when any byte (header included) was changed or the key is not
 * the sender's, and `signal-not-sealed` for a cleartext one. Repeats of one message id
 * open fine: recognising them is the call's job. Never throws.
 */
export function openV2Signal(key: DirectionKey, bytes: Uint8Array): Result<V2Signal, V2SignalErrorCode> {
  const header = peekV2SignalHeader(bytes);
  if (!header.ok) return header;
  if (!header.value.sealed) return fail('signal-not-sealed', `${header.value.type} is not sealed`);
  const aad = bytes.subarray(0, V2_SIGNAL_HEADER_BYTES);
  const body = openSealed(key.key, xorNonce(key.salt, 0, header.value.messageId), aad, bytes.subarray(V2_SIGNAL_HEADER_BYTES));
  if (body === undefined) return fail('signal-auth-failed', `${header.value.type} ${header.value.messageId} failed authentication`);
  return decodeSignalBody(header.value, body);
}
