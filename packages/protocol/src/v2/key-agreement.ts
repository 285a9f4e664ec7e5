/** ZRTP-style key agreement for one v2 call (RFC 6189): ephemeral X25519 keys, a hash commitment, and HKDF-SHA256 over the shared secret and the transcript. */
import { createHash, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../result.js';
import { ByteWriter, fromHex, systemRandom, toHex, type RandomBytes } from './bytes.js';
import { encodeCaps, type MediaFormat } from './caps.js';
import { V2EncodeError } from './encode-error.js';
import { renderSas } from './sas.js';
import { CALL_ID_BYTES, COMMITMENT_BYTES, PUBLIC_KEY_BYTES, callIdBytes, isCallId } from './signal-message.js';

/** A per-call ephemeral X25519 key pair. Keep `privateKey` secret and drop the pair once the call keys are derived. */
export interface KeyPair {
  /** The 32-byte public key (RFC 7748 u-coordinate), as carried in RINGING and KEY. */
  readonly publicKey: Uint8Array;
  /** The 32 private bytes (RFC 7748 scalar before clamping). */
  readonly privateKey: Uint8Array;
}

/** What the two sides agreed on, in the order both hash it. */
export interface Transcript {
  /** The call id (16 hex digits). */
  readonly callId: string;
  /** The caller's name, as in the OFFER. */
  readonly caller: string;
  /** The callee's name, as in the OFFER. */
  readonly callee: string;
  /** The OFFER's caps. */
  readonly caps: readonly MediaFormat[];
  /** The caller's (initiator's) public key, from KEY. */
  readonly initiatorKey: Uint8Array;
  /** The callee's (responder's) public key, from RINGING. */
  readonly responderKey: Uint8Array;
}

/** An AES-256-GCM key and the 12-byte salt its nonces are XORed with: one direction of one channel. */
export interface DirectionKey {
  /** 32 bytes. */
  readonly key: Uint8Array;
  /** 12 bytes. */
  readonly salt: Uint8Array;
}

/** Everything one side derives: a key per direction for signalling and for media, and the SAS. */
export interface CallKeys {
  /** For sealing signalling ({@link SignalSealer}) and opening the peer's ({@link openV2Signal}). */
  readonly signal: { readonly send: DirectionKey; readonly receive: DirectionKey };
  /** For sealing RTP ({@link MediaSealer}) and opening the peer's ({@link openMedia}). */
  readonly media: { readonly send: DirectionKey; readonly receive: DirectionKey };
  /** The short authentication string both users read aloud (four characters). */
  readonly sas: string;
}

/** Which end of the call this side is: the initiator (caller) commits first. */
export type CallRole = 'initiator' | 'responder';

/** Why a commitment or a key agreement was refused. */
export type KeyAgreementErrorCode = 'commitment-mismatch' | 'key-not-in-transcript' | 'key-agreement-failed';

const PKCS8_X25519 = fromHex('302e020100300506032b656e04220420');
const SPKI_X25519 = fromHex('302a300506032b656e032100');
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateKey]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, publicKey]), format: 'der', type: 'spki' });
}

/** A fresh random call id: 64 bits as 16 lower-case hex digits. */
export function createCallId(random: RandomBytes = systemRandom): string {
  return toHex(random(CALL_ID_BYTES));
}

/** A fresh ephemeral X25519 key pair for one call, from 32 bytes of `random`. */
export function createKeyPair(random: RandomBytes = systemRandom): KeyPair {
  const privateKey = random(32).slice();
  if (privateKey.length !== 32) throw new RangeError('random source returned the wrong number of bytes');
  const spki = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return { publicKey: new Uint8Array(spki.subarray(SPKI_X25519.length)), privateKey };
}

/**
 * The initiator's commitment to its public key, sent in OFFER before it has seen the
 * responder's (RFC 6189 section 4.4.1.1, hvi): SHA-256("voip-v2 commit" || call id ||
 * public key). Binding the call id keeps a commitment from being replayed into another call.
 */
export function commit(publicKey: Uint8Array, callId: string): Uint8Array {
  if (publicKey.length !== PUBLIC_KEY_BYTES) throw new V2EncodeError('publicKey', `must be ${PUBLIC_KEY_BYTES} bytes`);
  return new Uint8Array(createHash('sha256').update(ascii('voip-v2 commit')).update(callIdBytes(callId)).update(publicKey).digest());
}

/** The responder's check, on KEY, that the revealed key is the one committed to in OFFER. Never throws. */
export function verifyCommitment(commitment: Uint8Array, publicKey: Uint8Array, callId: string): Result<true, 'commitment-mismatch'> {
  if (commitment.length !== COMMITMENT_BYTES || publicKey.length !== PUBLIC_KEY_BYTES || !isCallId(callId))
    return fail('commitment-mismatch', 'commitment, key or call id has the wrong length');
  const expected = commit(publicKey, callId);
  return timingSafeEqual(expected, commitment) ? ok(true) : fail('commitment-mismatch', 'the revealed key does not match the commitment in OFFER');
}

/**
 * SHA-256 of the transcript: "voip-v2 transcript", the 8-byte call id, u8 length and
 * caller, u8 length and callee, u16 length and the caps bytes, initiator key, responder key.
 */
export function transcriptHash(transcript: Transcript): Uint8Array {
  const caller = ascii(transcript.caller);
  const callee = ascii(transcript.callee);
  const caps = encodeCaps(transcript.caps);
  const bytes = new ByteWriter()
    .bytes(ascii('voip-v2 transcript'))
    .bytes(callIdBytes(transcript.callId))
    .u8(caller.length)
    .bytes(caller)
    .u8(callee.length)
    .bytes(callee)
    .u16(caps.length)
    .bytes(caps)
    .bytes(transcript.initiatorKey)
    .bytes(transcript.responderKey)
    .finish();
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

function expand(secret: Uint8Array, salt: Uint8Array, label: string, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, salt, ascii(label), length));
}

function directionKey(secret: Uint8Array, salt: Uint8Array, label: string): DirectionKey {
  const bytes = expand(secret, salt, label, 44);
  return { key: bytes.slice(0, 32), salt: bytes.slice(32) };
}

/**
 * Derives one side's call keys. The shared secret is X25519(own private key, the other
 * key in the transcript); each output is HKDF-SHA256(secret, salt = transcript hash,
 * info = label): "voip-v2 signal i>r", "voip-v2 signal r>i", "voip-v2 media i>r",
 * "voip-v2 media r>i" (44 bytes each: key, then salt) and "voip-v2 sas" (its leftmost
 * 20 bits are the SAS). The initiator sends with the i>r keys, the responder with r>i.
 * Fails when `own` is not the transcript's key for `role`, or when the peer's key gives
 * no secret (a low-order point). Never throws on bad peer keys.
 */
export function deriveCallKeys(own: KeyPair, role: CallRole, transcript: Transcript): Result<CallKeys, KeyAgreementErrorCode> {
  const mine = role === 'initiator' ? transcript.initiatorKey : transcript.responderKey;
  const theirs = role === 'initiator' ? transcript.responderKey : transcript.initiatorKey;
  if (mine.length !== PUBLIC_KEY_BYTES || Buffer.compare(mine, own.publicKey) !== 0) return fail('key-not-in-transcript', `own public key is not the transcript's ${role} key`);
  if (theirs.length !== PUBLIC_KEY_BYTES) return fail('key-agreement-failed', 'peer public key has the wrong length');
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(diffieHellman({ privateKey: privateKeyObject(own.privateKey), publicKey: publicKeyObject(theirs) }));
  } catch (error) {
    // OpenSSL refuses low-order points (an all-zero shared secret), RFC 7748 section 6.1.
    return fail('key-agreement-failed', `X25519 failed: ${(error as Error).message}`);
  }
  const salt = transcriptHash(transcript);
  const i2r = { signal: directionKey(secret, salt, 'voip-v2 signal i>r'), media: directionKey(secret, salt, 'voip-v2 media i>r') };
  const r2i = { signal: directionKey(secret, salt, 'voip-v2 signal r>i'), media: directionKey(secret, salt, 'voip-v2 media r>i') };
  const [send, receive] = role === 'initiator' ? [i2r, r2i] : [r2i, i2r];
  return ok({
    signal: { send: send.signal, receive: receive.signal },
    media: { send: send.media, receive: receive.media },
    sas: renderSas(expand(secret, salt, 'voip-v2 sas', 4)),
  });
}
