// Transition tables of the v2 call machine: the set-up handshake, answer, reject, busy, cancel and bye, each message and what it sends.
import { describe, expect, test } from 'vitest';
import { ALICE, BOB, Side, endedReason, notices, sent, setUp, timers } from '../../test/support/v2-fixtures.js';

describe('set-up', () => {
  test('dial sends OFFER in the clear as a transaction and starts the ring timer', () => {
    const alice = new Side('alice', ALICE);
    const effects = alice.apply({ type: 'dial', name: 'bob', address: BOB });
    expect(sent(effects)).toEqual(['OFFER']);
    expect(timers(effects)).toEqual(['rtx=100', 'ring=30000']);
    expect(notices(effects)).toEqual([
      { name: 'calling', peer: 'bob', ip: BOB.address, port: BOB.port },
      { name: 'state', state: 'calling', peer: 'bob' },
    ]);
    expect(alice.state.call).toMatchObject({ role: 'caller', stage: 'offering', nextId: 2 });
  });

  test('the callee acknowledges OFFER at once and asks the directory about the caller before RINGING', () => {
    const { bob } = setUp('offered');
    expect(sent(bob.last)).toEqual(['ACK']);
    expect(bob.last).toContainEqual(expect.objectContaining({ type: 'lookupCaller', caller: 'alice', from: ALICE }));
    expect(bob.state.call?.stage).toBe('verifying');
    expect(notices(bob.last)).toEqual([]); // nothing rings before the KEY checks out
  });

  test.each([
    ['vouched for', { ok: true as const, user: { name: 'alice', ip: ALICE.address, port: ALICE.port } }, ['RINGING'], 'awaiting-key'],
    ['at another address', { ok: true as const, user: { name: 'alice', ip: '10.9.9.9', port: 5001 } }, [], undefined],
    ['not online', { ok: true as const, user: null }, [], undefined],
    ['look-up failed', { ok: false as const, code: 'timeout', detail: 'no answer' }, [], undefined],
  ])('caller %s: sends %j', (_, result, messages, stage) => {
    const { alice, bob } = setUp('offered');
    const effects = bob.apply({ type: 'caller-lookup-result', callId: alice.state.call!.callId, from: ALICE, result });
    expect(sent(effects)).toEqual(messages);
    expect(bob.state.call?.stage).toBe(stage);
    expect(endedReason(effects)).toBeUndefined();
  });

  test('RINGING: the caller acknowledges in the clear, derives the keys and reveals its key in KEY', () => {
    const { alice, bob } = setUp('verified');
    const effects = bob.deliverTo(alice);
    expect(sent(effects)).toEqual(['KEY', 'ACK']);
    expect(alice.state.call).toMatchObject({ stage: 'keyed', keys: expect.anything() });
    expect(alice.state.transactions.map((t) => t.type)).toEqual(['KEY']); // RINGING implies the OFFER arrived
  });

  test('KEY: the callee checks the commitment, acknowledges sealed, and rings', () => {
    const { alice, bob } = setUp('verified');
    bob.deliverTo(alice);
    const effects = alice.deliverTo(bob);
    expect(sent(effects)).toEqual(['ACK*']);
    expect(effects).toContainEqual({ type: 'startRinging' });
    expect(notices(effects)).toEqual([
      { name: 'incoming', caller: 'alice', ip: ALICE.address, port: ALICE.port },
      { name: 'state', state: 'ringing', peer: 'alice' },
    ]);
    expect(bob.state.transactions).toEqual([]);
  });

  test('accept: ANSWER sealed, media starts; the caller connects on ANSWER; both show the same SAS and mirrored media keys', () => {
    const { alice, bob } = setUp('connected');
    const bobConnected = notices(bob.all).find((n) => n.name === 'connected');
    const aliceConnected = notices(alice.all).find((n) => n.name === 'connected');
    expect(aliceConnected).toEqual({ name: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas: expect.stringMatching(/^[ybndrfg8ejkmcpqxot1uwisza345h769]{4}$/) });
    expect(bobConnected).toEqual({ ...aliceConnected, peer: 'alice' });
    const media = (side: Side) => side.all.find((e) => e.type === 'startMedia');
    const a = media(alice) as Extract<ReturnType<typeof media>, { type: 'startMedia' }>;
    const b = media(bob) as typeof a;
    expect(a.v2.frameSamples).toBe(160);
    expect(a.v2.payloadType).toBe(96);
    expect(a.v2.sendKey).toEqual(b.v2.receiveKey);
    expect(a.v2.receiveKey).toEqual(b.v2.sendKey);
    expect(a.v2.ssrc).toBe(b.v2.peerSsrc);
    expect(b.v2.ssrc).toBe(a.v2.peerSsrc);
    expect(alice.state.transactions).toEqual([]);
    expect(bob.state.transactions).toEqual([]);
  });

  test('accept or reject while nothing rings is refused', () => {
    const alice = new Side('alice', ALICE);
    expect(alice.apply({ type: 'user-accept' })).toEqual([{ type: 'refuse', code: 'invalid-state', detail: 'no v2 call to accept' }]);
    expect(alice.apply({ type: 'user-reject' })).toEqual([{ type: 'refuse', code: 'invalid-state', detail: 'no v2 call to reject' }]);
  });
});

describe('ending', () => {
  test('reject: REJECT sealed; the caller acknowledges and ends with rejected', () => {
    const { alice, bob } = setUp('ringing');
    const effects = bob.apply({ type: 'user-reject' });
    expect(sent(effects)).toEqual(['REJECT*']);
    expect(endedReason(effects)).toBe('rejected');
    const answer = bob.deliverTo(alice);
    expect(sent(answer)).toEqual(['ACK*']);
    expect(endedReason(answer)).toBe('rejected');
    alice.deliverTo(bob);
    expect(bob.state.transactions).toEqual([]);
  });

  test.each([
    ['offering', 'offered', ['CANCEL'], undefined],
    ['keyed, callee ringing', 'ringing', ['CANCEL*'], 'cancelled'],
  ] as const)('hang-up while %s: the caller sends %j, the callee ends with %s', (_, until, messages, calleeReason) => {
    const { alice, bob } = setUp(until);
    const effects = alice.apply({ type: 'user-hangup' });
    expect(sent(effects)).toEqual(messages);
    expect(endedReason(effects)).toBe('cancelled');
    const answer = alice.deliverTo(bob);
    expect(sent(answer)).toEqual([messages[0].endsWith('*') ? 'ACK*' : 'ACK']);
    expect(endedReason(answer)).toBe(calleeReason);
    expect(bob.state.call).toBeUndefined();
  });

  test('bye: either side ends with BYE sealed, the other acknowledges and ends with remote-hangup', () => {
    const { alice, bob } = setUp('connected');
    const effects = bob.apply({ type: 'user-hangup' });
    expect(sent(effects)).toEqual(['BYE*']);
    expect(endedReason(effects)).toBe('hangup');
    expect(effects).toContainEqual({ type: 'stopMedia' });
    const answer = bob.deliverTo(alice);
    expect(sent(answer)).toEqual(['ACK*']);
    expect(endedReason(answer)).toBe('remote-hangup');
    alice.deliverTo(bob);
    expect(bob.state.transactions).toEqual([]);
  });

  test('busy: an OFFER while in a call is answered BUSY at once; the caller ends with rejected (busy)', () => {
    const { bob } = setUp('connected');
    const carol = new Side('carol', { address: '10.0.0.3', port: 5003 });
    carol.apply({ type: 'dial', name: 'bob', address: BOB });
    const answer = carol.deliverTo(bob);
    expect(sent(answer)).toEqual(['BUSY']);
    expect(bob.state.call?.stage).toBe('in-call');
    const back = bob.deliverTo(carol, answer, BOB);
    expect(sent(back)).toEqual(['ACK']);
    expect(notices(back)).toContainEqual({ name: 'ended', peer: 'bob', reason: 'rejected', direction: 'outgoing', detail: 'busy' });
  });

  test('busy elsewhere (a classic call) or closing: BUSY too', () => {
    for (const event of [{ type: 'elsewhere', busy: true }, { type: 'shutdown' }] as const) {
      const alice = new Side('alice', ALICE);
      const bob = new Side('bob', BOB);
      bob.apply(event);
      alice.apply({ type: 'dial', name: 'bob', address: BOB });
      expect(sent(alice.deliverTo(bob))).toEqual(['BUSY']);
    }
  });

  test('a dial that must be secure but found a classic peer ends at once with not-secure', () => {
    const alice = new Side('alice', ALICE);
    expect(endedReason(alice.apply({ type: 'dial-not-secure', name: 'bob' }))).toBe('not-secure');
  });
});
