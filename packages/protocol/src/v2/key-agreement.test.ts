// Tests of the key agreement: both sides agree, the commitment binds, and a man in the middle leaves two different SAS.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../test/v2/seeded-random.js';
import {
  DEFAULT_V2_CAPS,
  commit,
  createCallId,
  createKeyPair,
  deriveCallKeys,
  renderSas,
  toHex,
  transcriptHash,
  verifyCommitment,
  SAS_ALPHABET,
  type KeyPair,
  type Transcript,
} from './index.js';

/** One honest exchange as the messages carry it: OFFER (commitment), RINGING (responder key), KEY (reveal). */
function exchange(seed: string, initiator: KeyPair = createKeyPair(seededRandom(`${seed}/i`)), responder: KeyPair = createKeyPair(seededRandom(`${seed}/r`))) {
  const callId = createCallId(seededRandom(`${seed}/call`));
  const transcript: Transcript = { callId, caller: 'alice', callee: 'bob', caps: DEFAULT_V2_CAPS, initiatorKey: initiator.publicKey, responderKey: responder.publicKey };
  return { callId, initiator, responder, transcript };
}

describe('key agreement', () => {
  test('key pairs are 32-byte X25519 keys drawn from the injected randomness', () => {
    const a = createKeyPair(seededRandom('k'));
    const b = createKeyPair(seededRandom('k'));
    expect(a.publicKey).toHaveLength(32);
    expect(a.privateKey).toHaveLength(32);
    expect(toHex(a.publicKey)).toBe(toHex(b.publicKey));
    expect(toHex(createKeyPair().publicKey)).not.toBe(toHex(createKeyPair().publicKey));
  });

  test("both sides of one transcript derive the same keys and SAS, each send key being the other side's receive key", () => {
    const { initiator, responder, transcript } = exchange('honest');
    const i = deriveCallKeys(initiator, 'initiator', transcript);
    const r = deriveCallKeys(responder, 'responder', transcript);
    if (!i.ok || !r.ok) throw new Error('derivation failed');
    expect(i.value.sas).toBe(r.value.sas);
    expect(i.value.sas).toMatch(new RegExp(`^[${SAS_ALPHABET}]{4}$`));
    expect(i.value.signal.send).toEqual(r.value.signal.receive);
    expect(i.value.signal.receive).toEqual(r.value.signal.send);
    expect(i.value.media.send).toEqual(r.value.media.receive);
    expect(i.value.media.receive).toEqual(r.value.media.send);
    const all = [i.value.signal.send, i.value.signal.receive, i.value.media.send, i.value.media.receive];
    expect(new Set(all.map((k) => toHex(k.key))).size).toBe(4);
    expect(new Set(all.map((k) => toHex(k.salt))).size).toBe(4);
    for (const k of all) expect([k.key.length, k.salt.length]).toEqual([32, 12]);
  });

  test.each([
    ['call id', { callId: '0123456789abcdef' }],
    ['caller', { caller: 'mallory' }],
    ['callee', { callee: 'carol' }],
    ['caps', { caps: [{ ...DEFAULT_V2_CAPS[0]!, frameSizes: [512] }] }],
  ])('a different %s gives a different transcript hash and different keys', (_field, change) => {
    const { initiator, transcript } = exchange('transcript');
    const changed = { ...transcript, ...change };
    expect(toHex(transcriptHash(changed))).not.toBe(toHex(transcriptHash(transcript)));
    const a = deriveCallKeys(initiator, 'initiator', transcript);
    const b = deriveCallKeys(initiator, 'initiator', changed);
    if (!a.ok || !b.ok) throw new Error('derivation failed');
    expect(toHex(a.value.media.send.key)).not.toBe(toHex(b.value.media.send.key));
  });

  test('the commitment binds the key and the call: the revealed key passes, any other key or call is refused with commitment-mismatch', () => {
    const { callId, initiator } = exchange('commit');
    const commitment = commit(initiator.publicKey, callId);
    expect(verifyCommitment(commitment, initiator.publicKey, callId)).toEqual({ ok: true, value: true });
    const other = createKeyPair(seededRandom('other'));
    expect(verifyCommitment(commitment, other.publicKey, callId)).toMatchObject({ ok: false, code: 'commitment-mismatch' });
    expect(verifyCommitment(commitment, initiator.publicKey, 'ffffffffffffffff')).toMatchObject({ ok: false, code: 'commitment-mismatch' });
    expect(verifyCommitment(commitment.subarray(1), initiator.publicKey, callId)).toMatchObject({ ok: false, code: 'commitment-mismatch' });
  });

  test('commitment and transcript hash are the documented SHA-256 inputs, recomputed here with node:crypto alone', () => {
    const { callId, initiator, responder, transcript } = exchange('layout');
    const sha = (...parts: (string | Uint8Array)[]) => parts.reduce((h, p) => h.update(typeof p === 'string' ? Buffer.from(p, 'ascii') : p), createHash('sha256')).digest('hex');
    const id = Buffer.from(callId, 'hex');
    expect(toHex(commit(initiator.publicKey, callId))).toBe(sha('voip-v2 commit', id, initiator.publicKey));
    const caps = Buffer.from('01016000001f4001020' + '0a00200', 'hex');
    expect(toHex(transcriptHash(transcript))).toBe(
      sha('voip-v2 transcript', id, Uint8Array.of(5), 'alice', Uint8Array.of(3), 'bob', Uint8Array.of(0, caps.length), caps, initiator.publicKey, responder.publicKey),
    );
  });

  test('a call id that is not 16 hex digits is a bug when committing, and a mismatch when verifying', () => {
    const { initiator } = exchange('bad-id');
    expect(() => commit(initiator.publicKey, 'not-a-call-id')).toThrow(expect.objectContaining({ code: 'v2-invalid-field', field: 'callId' }));
    expect(verifyCommitment(new Uint8Array(32), initiator.publicKey, 'not-a-call-id')).toMatchObject({ ok: false, code: 'commitment-mismatch' });
  });

  test('a side whose key is not its slot in the transcript is refused', () => {
    const { responder, transcript } = exchange('slot');
    expect(deriveCallKeys(responder, 'initiator', transcript)).toMatchObject({ ok: false, code: 'key-not-in-transcript' });
  });

  test('a low-order peer key (all zeros) gives no secret and is refused, not thrown', () => {
    const { initiator, transcript } = exchange('low-order');
    expect(deriveCallKeys(initiator, 'initiator', { ...transcript, responderKey: new Uint8Array(32) })).toMatchObject({ ok: false, code: 'key-agreement-failed' });
    expect(deriveCallKeys(initiator, 'initiator', { ...transcript, responderKey: new Uint8Array(31) })).toMatchObject({ ok: false, code: 'key-agreement-failed' });
  });

  test('renderSas reads the leftmost 20 bits in ZRTP B32', () => {
    expect(renderSas(Uint8Array.of(0, 0, 0))).toBe('yyyy');
    expect(renderSas(Uint8Array.of(0xff, 0xff, 0xf0))).toBe('9999');
    expect(renderSas(Uint8Array.of(0xff, 0xff, 0x0f))).toBe(renderSas(Uint8Array.of(0xff, 0xff, 0x00))); // bits past the 20th do not count
    expect(renderSas(Uint8Array.of(0xff, 0xff, 0x00))).toBe('999o');
    expect(renderSas(Uint8Array.of(0b00001000, 0b10000110, 0b01000000))).toBe('bndr');
  });
});

describe('a man in the middle that does its own exchange with each side', () => {
  /**
   * Mallory sits between alice (initiator) and bob (responder). Toward bob she is the
   * initiator and must commit to her key before bob's arrives; toward alice she is the
   * responder and must send her key before alice reveals hers.
   */
  function intercept(seed: string) {
    const alice = exchange(`${seed}/alice`);
    const callId = alice.callId;
    const aliceCommitment = commit(alice.initiator.publicKey, callId); // OFFER alice -> mallory
    const towardBob = createKeyPair(seededRandom(`${seed}/m-bob`));
    const bobCommitment = commit(towardBob.publicKey, callId); // OFFER mallory -> bob
    const bob = createKeyPair(seededRandom(`${seed}/bob`)); // RINGING bob -> mallory
    const towardAlice = createKeyPair(seededRandom(`${seed}/m-alice`)); // RINGING mallory -> alice, before alice's reveal
    // KEY alice -> mallory, then KEY mallory -> bob: each receiver checks the commitment it saw.
    expect(verifyCommitment(aliceCommitment, alice.initiator.publicKey, callId).ok).toBe(true);
    expect(verifyCommitment(bobCommitment, towardBob.publicKey, callId).ok).toBe(true);
    const aliceSide: Transcript = { ...alice.transcript, responderKey: towardAlice.publicKey };
    const bobSide: Transcript = { ...alice.transcript, initiatorKey: towardBob.publicKey, responderKey: bob.publicKey };
    const derive = (pair: KeyPair, role: 'initiator' | 'responder', t: Transcript) => {
      const keys = deriveCallKeys(pair, role, t);
      if (!keys.ok) throw new Error(keys.detail);
      return keys.value;
    };
    return {
      alice: derive(alice.initiator, 'initiator', aliceSide),
      malloryAsBob: derive(towardAlice, 'responder', aliceSide),
      malloryAsAlice: derive(towardBob, 'initiator', bobSide),
      bob: derive(bob, 'responder', bobSide),
      bobCommitment,
      callId,
      bobKey: bob.publicKey,
    };
  }

  test("both legs connect (mallory holds each side's keys) but the SAS alice reads differs from bob's", () => {
    const leg = intercept('mitm');
    expect(leg.malloryAsBob.media.receive).toEqual(leg.alice.media.send);
    expect(leg.malloryAsAlice.media.send).toEqual(leg.bob.media.receive);
    expect(leg.alice.sas).toBe(leg.malloryAsBob.sas);
    expect(leg.bob.sas).toBe(leg.malloryAsAlice.sas);
    expect(leg.alice.sas).not.toBe(leg.bob.sas);
  });

  test('over 200 intercepted calls the two SAS never agree (each matches by chance with probability 2^-20)', () => {
    for (let i = 0; i < 200; i++) {
      const leg = intercept(`mitm-${i}`);
      expect(leg.alice.sas, `call ${i}`).not.toBe(leg.bob.sas);
    }
  });

  test("mallory cannot swap in a key chosen after seeing bob's: bob refuses it against her commitment", () => {
    const leg = intercept('grind');
    const ground = createKeyPair(seededRandom(`grind/${toHex(leg.bobKey)}`));
    expect(verifyCommitment(leg.bobCommitment, ground.publicKey, leg.callId)).toMatchObject({ ok: false, code: 'commitment-mismatch' });
  });
});
