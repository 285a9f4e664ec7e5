// Transition tables of the v2 machine against bad datagrams (third party, tampered, in the clear, classic words, a wrong KEY) and glare.
import { describe, expect, test } from 'vitest';
import { createKeyPair, encodeV2Signal } from '@voip/protocol/v2';
import type { PeerAddress } from '../call-machine-types.js';
import type { V2Effect } from './v2-types.js';
import { ALICE, BOB, CAROL, Side, counts, datagrams, endedReason, notices, sent, setUp } from '../../test/support/v2-fixtures.js';

describe('dropped and counted, never ending or changing the call', () => {
  test.each([
    ['from a third party', (bytes: Uint8Array) => ({ bytes, from: CAROL }), /^rejected: BYE from a third party/],
    ['with one bit flipped', (bytes: Uint8Array) => ({ bytes: flip(bytes, 20), from: BOB }), /^rejected: signal-auth-failed$/],
    ['with its header changed', (bytes: Uint8Array) => ({ bytes: flip(bytes, 15), from: BOB }), /^rejected: signal-auth-failed$/],
  ])('a sealed BYE %s', (_, mangle, reason) => {
    const { alice, bob } = setUp('connected');
    const bye = datagrams(bob.apply({ type: 'user-hangup' }))[0]!;
    const before = alice.state;
    const { bytes, from } = mangle(bye);
    const effects = alice.apply({ type: 'signal', from, bytes });
    expect(counts(effects)).toEqual([expect.stringMatching(reason)]);
    expect(sent(effects)).toEqual([]);
    expect(alice.state).toBe(before);
  });

  test('a BYE in the clear (anyone who saw the call id could forge it) is refused', () => {
    const { alice, bob } = setUp('connected');
    const forged = encodeV2Signal({ type: 'BYE', callId: alice.state.call!.callId, messageId: 99 });
    const effects = alice.apply({ type: 'signal', from: BOB, bytes: forged });
    expect(counts(effects)).toEqual(['rejected: BYE in the clear']);
    expect(alice.state.call?.stage).toBe('in-call');
    void bob;
  });

  test('a datagram for an unknown call, a malformed one, a classic word during the call, media from a third party', () => {
    const { alice } = setUp('connected');
    const unknown = encodeV2Signal({ type: 'BYE', callId: 'ffffffffffffffff', messageId: 1 });
    expect(counts(alice.apply({ type: 'signal', from: BOB, bytes: unknown }))).toEqual(['rejected: BYE for no call of ours']);
    expect(counts(alice.apply({ type: 'signal', from: BOB, bytes: new Uint8Array(20).fill(0x0e) }))).toEqual(['rejected: signal-bad-version']);
    expect(counts(alice.apply({ type: 'stray', from: BOB, detail: 'classic CLOSE' }))).toEqual(['rejected: classic CLOSE during a v2 call']);
    expect(counts(alice.apply({ type: 'media', from: CAROL, bytes: new Uint8Array(348).fill(0x80) }))).toEqual([
      `rejected: media from a third party (${CAROL.address}:${CAROL.port})`,
    ]);
    expect(alice.state.call?.stage).toBe('in-call');
  });

  test('a KEY that does not match the commitment is dropped; the genuine KEY after it still connects', () => {
    const { alice, bob } = setUp('verified');
    bob.deliverTo(alice); // RINGING; alice answers ACK and KEY
    const genuine = alice.last;
    const forged = encodeV2Signal({ type: 'KEY', callId: alice.state.call!.callId, messageId: 3, publicKey: createKeyPair().publicKey });
    const effects = bob.apply({ type: 'signal', from: ALICE, bytes: forged });
    expect(counts(effects)).toEqual(['rejected: KEY not expected while awaiting-key']);
    expect(bob.state.call?.keys).toBeUndefined();
    alice.deliverTo(bob, genuine);
    expect(bob.state.call?.stage).toBe('ringing');
  });

  test('a cleartext ACK of a sealed message is refused', () => {
    const { alice, bob } = setUp('ringing');
    bob.apply({ type: 'user-accept' });
    const answerId = bob.state.transactions[0]!.messageId;
    const forged = encodeV2Signal({ type: 'ACK', callId: bob.state.call!.callId, messageId: 50, acknowledges: answerId });
    expect(counts(bob.apply({ type: 'signal', from: ALICE, bytes: forged }))).toEqual(['rejected: ACK in the clear of a sealed message']);
    expect(bob.state.transactions).toHaveLength(1);
    void alice;
  });

  test('BUSY once the call is keyed is refused', () => {
    const { alice } = setUp('ringing');
    const forged = encodeV2Signal({ type: 'BUSY', callId: alice.state.call!.callId, messageId: 77 });
    expect(counts(alice.apply({ type: 'signal', from: BOB, bytes: forged }))).toEqual(['rejected: BUSY not expected while keyed']);
    expect(alice.state.call?.stage).toBe('keyed');
  });

  test('an OFFER for another name, or naming us as the caller', () => {
    const carol = new Side('carol', CAROL);
    const bob = new Side('bob', BOB);
    carol.apply({ type: 'dial', name: 'dave', address: BOB });
    expect(counts(carol.deliverTo(bob))).toEqual(['rejected: OFFER for dave']);
    const fake = new Side('bob', CAROL);
    fake.apply({ type: 'dial', name: 'bob', address: BOB });
    expect(counts(fake.deliverTo(bob, fake.last, CAROL))).toEqual(['rejected: OFFER naming this phone as the caller']);
  });
});

describe('glare', () => {
  test.each(['seed-1', 'seed-2', 'seed-3', 'seed-4'])('both dial each other at once (%s): one call, with the higher call id, connects on both sides', (seed) => {
    const alice = new Side('alice', ALICE, `alice-${seed}`);
    const bob = new Side('bob', BOB, `bob-${seed}`);
    const aOffer = alice.apply({ type: 'dial', name: 'bob', address: BOB });
    const bOffer = bob.apply({ type: 'dial', name: 'alice', address: ALICE });
    const aliceId = alice.state.call!.callId;
    const bobId = bob.state.call!.callId;
    const winner = aliceId > bobId ? aliceId : bobId;
    // Relay both ways until quiet, answering each side's directory look-up of its caller.
    const feed = (to: Side, effects: readonly V2Effect[], from: PeerAddress, peer: PeerAddress): V2Effect[] => {
      const out: V2Effect[] = [];
      for (const bytes of datagrams(effects)) out.push(...to.apply({ type: 'signal', from, bytes }));
      const lookup = out.find((e) => e.type === 'lookupCaller');
      if (lookup?.type === 'lookupCaller') {
        out.push(
          ...to.apply({ type: 'caller-lookup-result', callId: lookup.callId, from, result: { ok: true, user: { name: lookup.caller, ip: peer.address, port: peer.port } } }),
        );
      }
      return out;
    };
    let toBob: V2Effect[] = aOffer;
    let toAlice: V2Effect[] = bOffer;
    for (let i = 0; i < 10 && (toBob.length > 0 || toAlice.length > 0); i++) {
      const fromBob = feed(bob, toBob, ALICE, ALICE);
      const fromAlice = feed(alice, toAlice, BOB, BOB);
      toAlice = fromBob;
      toBob = fromAlice;
    }
    for (const side of [alice, bob]) {
      expect(side.state.call).toMatchObject({ callId: winner, stage: 'in-call' });
      expect(notices(side.all).filter((n) => n.name === 'connected')).toHaveLength(1);
      expect(endedReason(side.all)).toBeUndefined();
      expect(notices(side.all).some((n) => n.name === 'incoming')).toBe(false);
    }
    const sas = (s: Side) => notices(s.all).find((n) => n.name === 'connected');
    expect((sas(alice) as { sas: string }).sas).toBe((sas(bob) as { sas: string }).sas);
  });
});

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
}
