// Transition tables of the call machine for peer signals, stale CLOSE repeats and timers.
import { describe, expect, test } from 'vitest';
import { type CallMachine } from './call-machine-config.js';
import type { MachineEvent } from './call-machine-types.js';
import {
  BOB,
  BOB_SOCKET,
  CAROL,
  calling,
  ended,
  found,
  has,
  idle,
  inCallCallee,
  inCallCaller,
  pcm,
  ringing,
  run,
  sends,
  sig,
  start,
  states,
  verified,
} from '../test/support/machine-fixtures.js';

describe('peer signals', () => {
  test.each([
    ['calling', sig(BOB, 'ACCEPT'), 'in-call', undefined],
    ['calling', sig(BOB, 'REJECT'), 'idle', 'rejected'],
    ['calling', sig(BOB, 'CLOSE'), 'calling', undefined],
    ['ringing', sig(BOB, 'CLOSE'), 'idle', 'cancelled'],
    ['in-call (caller)', sig(BOB, 'CLOSE'), 'idle', 'remote-hangup'],
    ['in-call (callee)', sig(BOB, 'CLOSE'), 'idle', 'remote-hangup'],
    ['in-call (caller)', sig(BOB, 'ACCEPT'), 'in-call', undefined],
    ['in-call (caller)', sig(BOB, 'REJECT'), 'in-call', undefined],
    ['idle', sig(BOB, 'CLOSE'), 'idle', undefined],
    ['idle', sig(BOB, 'ACCEPT'), 'idle', undefined],
  ] as const)('%s + %j -> %s (%s)', (from, event, to, reason) => {
    const { machine, effects } = run(states[from]!, event);
    expect(machine.state.phase.kind).toBe(to);
    expect(ended(effects)).toBe(reason);
  });

  test.each([
    ['calling', sig(CAROL, 'ACCEPT')],
    ['calling', sig(CAROL, 'REJECT')],
    ['ringing', sig(CAROL, 'CLOSE')],
    ['in-call (caller)', sig(CAROL, 'CLOSE')],
    ['in-call (callee)', { type: 'audio', from: CAROL, pcm } as MachineEvent],
    ['in-call (caller)', { type: 'audio', from: { address: BOB.address, port: 9 }, pcm } as MachineEvent],
  ] as const)('%s: %j from a stranger is dropped', (from, event) => {
    const { machine, effects } = run(states[from]!, event);
    expect(machine.state).toEqual(states[from]!.state);
    expect(effects.map((e) => e.type)).toEqual(['drop']);
  });

  test('ACCEPT connects the caller once; ACCEPT repeats change nothing', () => {
    const first = run(calling, sig(BOB, 'ACCEPT'));
    expect(first.effects.filter((e) => e.type === 'startMedia')).toHaveLength(1);
    expect(first.effects).toContainEqual({ type: 'cancelTimer', id: 'start-repeat' });
    expect(run(first.machine, sig(BOB, 'ACCEPT')).effects).toEqual([]);
  });

  test('audio while calling counts as the ACCEPT (all ACCEPTs lost) and is played', () => {
    const { machine, effects } = run(calling, { type: 'audio', from: BOB, pcm });
    expect(machine.state.phase.kind).toBe('in-call');
    expect(effects).toContainEqual({ type: 'startMedia', peer: BOB });
    expect(effects).toContainEqual({ type: 'deliverAudio', pcm });
  });

  test('audio in a call is played and restarts the silence timer', () => {
    const { effects } = run(inCallCallee, { type: 'audio', from: BOB, pcm });
    expect(effects).toEqual([
      { type: 'deliverAudio', pcm },
      { type: 'startTimer', id: 'silence', ms: 5000 },
    ]);
  });

  test('audio while ringing is dropped', () => {
    expect(run(ringing, { type: 'audio', from: BOB, pcm }).effects.map((e) => e.type)).toEqual(['drop']);
  });

  test('closing stops the media and emits ended then idle', () => {
    const { effects } = run(inCallCaller, sig(BOB, 'CLOSE'));
    expect(has(effects, 'stopMedia')).toBe(true);
    const notices = effects.flatMap((e) => (e.type === 'emit' ? [e.notice.name === 'state' ? `state:${e.notice.state}` : e.notice.name] : []));
    expect(notices).toEqual(['state:ended', 'ended', 'state:idle']);
  });

  test('a malformed datagram is dropped', () => {
    expect(run(inCallCaller, { type: 'invalid-datagram', from: BOB, detail: 'bad' }).effects).toEqual([{ type: 'drop', reason: 'bad' }]);
  });
});

describe('stale CLOSE repeats of a previous call (classic CLOSE has no call id)', () => {
  // A call with bob ended by his CLOSE: his repeats of it go on for about a second.
  const afterBob = run(inCallCallee, sig(BOB, 'CLOSE')).machine;
  const recalling = run(afterBob, { type: 'user-call', name: 'bob' }, found(1)).machine;
  const reconnectedCaller = run(recalling, sig(BOB, 'ACCEPT')).machine;
  // A new START from another socket of bob's is not a repeat of the old one: it rings.
  const reringing = run(afterBob, start(BOB_SOCKET), verified(BOB_SOCKET, 'bob', BOB.address, BOB.port)).machine;
  const reconnectedCallee = run(reringing, { type: 'user-accept' }).machine;
  // A call with carol ended; then a call with bob.
  const afterCarol = run(idle, start(CAROL, 'carol'), verified(CAROL, 'carol', CAROL.address, CAROL.port), sig(CAROL, 'CLOSE')).machine;
  const inCallAfterCarol = run(afterCarol, { type: 'user-call', name: 'bob' }, found(1), sig(BOB, 'ACCEPT')).machine;
  const lingerOver = { type: 'timer', id: 'linger' } as const;

  const fixtures: Record<string, CallMachine> = {
    'calling, no earlier call': calling,
    'calling bob right after a call with him ended': recalling,
    'ringing for bob within the window': reringing,
    'in-call with bob (caller) within the window': reconnectedCaller,
    'in-call with bob (callee) within the window': reconnectedCallee,
    'in-call with bob (caller) after the window': run(reconnectedCaller, lingerOver).machine,
    'ringing for bob after the window': run(reringing, lingerOver).machine,
    'in-call with bob, the window being for carol': inCallAfterCarol,
  };

  test('the fixtures are in the phase their label says, lingering where it says so', () => {
    expect(Object.values(fixtures).map((m) => [m.state.phase.kind, m.state.lingering?.from])).toEqual([
      ['calling', undefined],
      ['calling', [BOB]],
      ['ringing', [BOB]],
      ['in-call', [BOB]],
      ['in-call', [BOB]],
      ['in-call', undefined],
      ['ringing', undefined],
      ['in-call', [CAROL]],
    ]);
  });

  test.each([
    ['calling, no earlier call', BOB],
    ['calling bob right after a call with him ended', BOB],
    ['ringing for bob within the window', BOB],
    ['in-call with bob (caller) within the window', BOB],
    ['in-call with bob (callee) within the window', BOB],
  ] as const)('%s: a CLOSE from %j is dropped as stale, the call goes on', (label, from) => {
    const before = fixtures[label]!;
    const { machine, effects } = run(before, sig(from, 'CLOSE'));
    expect(machine.state).toEqual(before.state);
    expect(effects).toEqual([{ type: 'drop', reason: expect.stringMatching(/^stale CLOSE/) }]);
  });

  test.each([
    ['in-call with bob (caller) after the window', BOB, 'remote-hangup'],
    ['ringing for bob after the window', BOB, 'cancelled'],
    ['ringing for bob within the window', BOB_SOCKET, 'cancelled'],
    ['in-call with bob, the window being for carol', BOB, 'remote-hangup'],
  ] as const)('%s: a CLOSE from %j ends the call (%s)', (label, from, reason) => {
    const { machine, effects } = run(fixtures[label]!, sig(from, 'CLOSE'));
    expect(machine.state.phase.kind).toBe('idle');
    expect(ended(effects)).toBe(reason);
  });

  test('every repeat of the old CLOSE is ignored while calling; the ACCEPT then connects', () => {
    let machine = recalling;
    for (let i = 0; i < 7; i++) {
      const step = run(machine, sig(BOB, 'CLOSE'));
      expect(ended(step.effects)).toBeUndefined();
      machine = step.machine;
    }
    const { machine: connected, effects } = run(machine, sig(BOB, 'ACCEPT'));
    expect(connected.state.phase.kind).toBe('in-call');
    expect(effects).toContainEqual({ type: 'emit', notice: { name: 'connected', peer: 'bob' } });
  });

  test('a stale CLOSE while calling keeps the START repeats and the ring timer going', () => {
    const { machine } = run(recalling, sig(BOB, 'CLOSE'));
    const { effects } = run(machine, { type: 'timer', id: 'start-repeat' });
    expect(sends(effects)).toEqual(['START alice>10.0.0.2:5002']);
    expect(ended(run(machine, { type: 'timer', id: 'ring' }).effects)).toBe('ring-timeout');
  });

  test('the window starts when a call ends: ending the new call restarts it', () => {
    const { machine, effects } = run(reconnectedCaller, { type: 'user-hangup' });
    expect(effects).toContainEqual({ type: 'startTimer', id: 'linger', ms: 1550 });
    expect(machine.state.lingering?.from).toEqual([BOB]);
  });
});

describe('timers', () => {
  test('START repeats every interval while calling', () => {
    const { effects } = run(calling, { type: 'timer', id: 'start-repeat' });
    expect(sends(effects)).toEqual(['START alice>10.0.0.2:5002']);
    expect(effects).toContainEqual({ type: 'startTimer', id: 'start-repeat', ms: 150 });
  });

  test.each([
    ['calling', 'ring', 'ring-timeout', ['CLOSE>10.0.0.2:5002']],
    ['ringing', 'ring', 'ring-timeout', []],
    ['in-call (caller)', 'silence', 'peer-silent', ['CLOSE>10.0.0.2:5002']],
  ] as const)('%s + %s timer ends with %s, sending %j', (from, id, reason, sent) => {
    const { machine, effects } = run(states[from]!, { type: 'timer', id });
    expect(machine.state.phase.kind).toBe('idle');
    expect(ended(effects)).toBe(reason);
    expect(sends(effects)).toEqual(sent);
  });

  test.each([
    ['idle', 'ring'],
    ['idle', 'silence'],
    ['idle', 'start-repeat'],
    ['in-call (caller)', 'start-repeat'],
    ['ringing', 'silence'],
  ] as const)('%s ignores a stale %s timer', (from, id) => {
    const { machine, effects } = run(states[from]!, { type: 'timer', id });
    expect(machine.state).toEqual(states[from]!.state);
    expect(effects).toEqual([]);
  });

  test('CLOSE is sent repeatCount times in all, one per timer', () => {
    let { machine, effects } = run(inCallCaller, { type: 'user-hangup' });
    let count = sends(effects).length;
    for (let i = 0; i < 10; i++) {
      ({ machine, effects } = run(machine, { type: 'timer', id: 'close-repeat' }));
      count += sends(effects).length;
      expect(effects.filter((e) => e.type === 'startTimer' && e.id === 'close-repeat').length).toBeLessThanOrEqual(1);
    }
    expect(count).toBe(7);
  });

  test('ACCEPT is sent repeatCount times in all, and stops when the call ends', () => {
    let { machine } = run(ringing, { type: 'user-accept' });
    let count = 1;
    for (let i = 0; i < 3; i++) {
      const step = run(machine, { type: 'timer', id: 'accept-repeat' });
      machine = step.machine;
      count += sends(step.effects).length;
    }
    expect(count).toBe(4);
    const over = run(machine, sig(BOB, 'CLOSE'));
    expect(over.effects).toContainEqual({ type: 'cancelTimer', id: 'accept-repeat' });
    expect(sends(run(over.machine, { type: 'timer', id: 'accept-repeat' }).effects)).toEqual([]);
  });

  test('calling the peer we are still sending CLOSE to stops those CLOSEs', () => {
    const hungUp = run(inCallCaller, { type: 'user-hangup' }).machine;
    const { machine, effects } = run(hungUp, { type: 'user-call', name: 'bob' }, found(2));
    expect(effects).toContainEqual({ type: 'cancelTimer', id: 'close-repeat' });
    expect(machine.state.closing).toBeUndefined();
  });
});
