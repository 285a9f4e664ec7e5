// Transition tables of the v2 machine's timers: retransmission with backoff until acknowledged or timed out, duplicates, ring, silence, linger and stats.
import { describe, expect, test } from 'vitest';
import { ALICE, BOB, Side, counts, datagrams, endedReason, sent, setUp, timers } from '../../test/support/v2-fixtures.js';
import type { V2Effect } from '../../src/v2/v2-types.js';

const rtxId = (effects: readonly V2Effect[]): string => (effects.find((e) => e.type === 'startTimer' && e.id.startsWith('rtx:')) as { id: string }).id;

describe('retransmission', () => {
  test('an unacknowledged OFFER is resent with the same bytes at 100, 200, 400, 800 then 1 600 ms, and the call gives up at 8 s', () => {
    const alice = new Side('alice', ALICE);
    const first = alice.apply({ type: 'dial', name: 'bob', address: BOB });
    const id = rtxId(first);
    const bytes = datagrams(first)[0]!;
    const intervals = [100];
    let effects: V2Effect[] = [];
    for (;;) {
      effects = alice.apply({ type: 'timer', id });
      const next = effects.find((e) => e.type === 'startTimer' && e.id === id) as { ms: number } | undefined;
      if (!next) break;
      expect(datagrams(effects)).toEqual([bytes]);
      intervals.push(next.ms);
    }
    expect(intervals).toEqual([100, 200, 400, 800, 1600, 1600, 1600, 1600, 100]);
    expect(intervals.reduce((a, b) => a + b)).toBe(8000);
    expect(endedReason(effects)).toBe('ring-timeout');
    expect(sent(effects)).toEqual([]);
  });

  test('an ACK ends the transaction: its timer is cancelled and a late firing sends nothing', () => {
    const { alice, bob } = setUp('offered');
    const id = rtxId(alice.all);
    const acked = bob.deliverTo(alice);
    expect(acked).toContainEqual({ type: 'cancelTimer', id });
    expect(alice.state.transactions).toEqual([]);
    expect(alice.apply({ type: 'timer', id })).toEqual([]);
  });

  test('an ANSWER the caller never acknowledges (and no media from it) ends the call with peer-silent and a BYE', () => {
    const { bob } = setUp('ringing');
    const effects = bob.apply({ type: 'user-accept' });
    const id = rtxId(effects);
    let last: V2Effect[] = [];
    for (let i = 0; i < 20 && endedReason(last) === undefined; i++) last = bob.apply({ type: 'timer', id });
    expect(endedReason(last)).toBe('peer-silent');
    expect(sent(last)).toEqual(['BYE*']);
  });

  test('authentic media from the caller stands for the lost ACK of ANSWER; media not yet opened does not', () => {
    const { bob } = setUp('ringing');
    bob.apply({ type: 'user-accept' });
    expect(bob.state.transactions.map((t) => t.type)).toEqual(['ANSWER']);
    const callId = bob.state.call!.callId;
    expect(bob.apply({ type: 'media', from: ALICE, bytes: new Uint8Array(348).fill(0x80) })).toEqual([{ type: 'deliverMedia', callId, bytes: new Uint8Array(348).fill(0x80) }]);
    expect(bob.state.transactions.map((t) => t.type)).toEqual(['ANSWER']);
    bob.apply({ type: 'media-authentic', callId });
    expect(bob.state.transactions).toEqual([]);
  });
});

describe('duplicates', () => {
  test('a repeated OFFER is acknowledged again and counted as replayed, never looked up twice', () => {
    const { alice, bob } = setUp('offered');
    const offer = datagrams(alice.all)[0]!;
    const effects = bob.apply({ type: 'signal', from: ALICE, bytes: offer });
    expect(sent(effects)).toEqual(['ACK']);
    expect(counts(effects)).toEqual(['replayed: a repeat of the OFFER']);
    expect(effects.some((e) => e.type === 'lookupCaller')).toBe(false);
  });

  test('a repeated sealed BYE after the call ended is acknowledged again (sealed) and changes nothing', () => {
    const { alice, bob } = setUp('connected');
    const bye = datagrams(bob.apply({ type: 'user-hangup' }))[0]!;
    alice.apply({ type: 'signal', from: BOB, bytes: bye });
    const again = alice.apply({ type: 'signal', from: BOB, bytes: bye });
    expect(sent(again)).toEqual(['ACK*']);
    expect(counts(again)).toEqual([expect.stringMatching(/^replayed: a repeat of BYE \d+$/)]);
    expect(endedReason(again)).toBeUndefined();
  });

  test('a repeated RINGING after KEY is acknowledged again in the clear and does not change the keys', () => {
    const { alice, bob } = setUp('verified');
    const ringing = datagrams(bob.last)[0]!;
    alice.apply({ type: 'signal', from: BOB, bytes: ringing });
    const keys = alice.state.call!.keys;
    const again = alice.apply({ type: 'signal', from: BOB, bytes: ringing });
    expect(sent(again)).toEqual(['ACK']);
    expect(alice.state.call!.keys).toBe(keys);
  });
});

describe('call timers', () => {
  test.each([
    ['caller, no answer', 'ringing', 'alice', ['CANCEL*'], 'ring-timeout'],
    ['callee ringing', 'ringing', 'bob', ['REJECT*'], 'ring-timeout'],
  ] as const)('ring timer (%s)', (_, until, who, messages, reason) => {
    const sides = setUp(until);
    const side = sides[who];
    const effects = side.apply({ type: 'timer', id: `ring:${side.state.call!.callId}` });
    expect(sent(effects)).toEqual(messages);
    expect(endedReason(effects)).toBe(reason);
  });

  test('silence: no authentic media for the silence timeout sends BYE and ends with peer-silent; only authentic media restarts the timer', () => {
    const { alice } = setUp('connected');
    const callId = alice.state.call!.callId;
    const id = `silence:${callId}`;
    const media = alice.apply({ type: 'media', from: BOB, bytes: new Uint8Array(348).fill(0x80) });
    expect(media).toMatchObject([{ type: 'deliverMedia', callId }]);
    expect(timers(media), 'a datagram the media has not opened yet').toEqual([]);
    expect(timers(alice.apply({ type: 'media-authentic', callId }))).toEqual(['silence=5000']);
    expect(alice.apply({ type: 'media-authentic', callId: '00'.repeat(8) }), 'of another call').toEqual([]);
    const effects = alice.apply({ type: 'timer', id });
    expect(sent(effects)).toEqual(['BYE*']);
    expect(endedReason(effects)).toBe('peer-silent');
  });

  test('stats are reported while in a call only; an ended call is forgotten after the linger time', () => {
    const { alice } = setUp('connected');
    expect(alice.apply({ type: 'timer', id: 'stats' })).toEqual([{ type: 'reportStats' }, { type: 'startTimer', id: 'stats', ms: 1000 }]);
    const callId = alice.state.call!.callId;
    alice.apply({ type: 'user-hangup' });
    expect(alice.apply({ type: 'timer', id: 'stats' })).toEqual([]);
    expect(alice.apply({ type: 'timer', id: `linger:${callId}` })).toEqual([{ type: 'startTimer', id: `linger:${callId}`, ms: 10_000 }]); // the BYE is still unacknowledged
    const rtx = alice.state.transactions[0]!;
    for (let i = 0; i < 20 && alice.state.transactions.length > 0; i++) alice.apply({ type: 'timer', id: `rtx:${callId}:${rtx.messageId}` });
    alice.apply({ type: 'timer', id: `linger:${callId}` });
    expect(alice.state.recent).toEqual([]);
  });
});
