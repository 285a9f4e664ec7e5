// Transition tables of the call machine for incoming calls: START verified, rung, refused, the ring tone.
import { describe, expect, test } from 'vitest';
import type { MachineEvent } from './call-machine-types.js';
import { BOB, BOB_SOCKET, CAROL, dialing, found, has, idle, inCallCallee, ringing, run, sends, sig, start, states, verified } from '../test/support/machine-fixtures.js';

describe('incoming START', () => {
  test('idle: a START is verified through the directory before ringing', () => {
    const { machine, effects } = run(idle, start(BOB));
    expect(machine.state.phase.kind).toBe('idle');
    expect(effects).toEqual([{ type: 'lookupCaller', caller: 'bob', from: BOB }]);
  });

  test('repeats of a START being verified are counted once', () => {
    const { effects } = run(idle, start(BOB), start(BOB));
    expect(effects).toEqual([]);
  });

  test('verified: rings and reports the caller', () => {
    const { machine, effects } = run(idle, start(BOB), verified(BOB));
    expect(machine.state.phase.kind).toBe('ringing');
    expect(effects).toContainEqual({ type: 'emit', notice: { name: 'incoming', caller: 'bob', ip: BOB.address, port: BOB.port } });
    expect(effects).toContainEqual({ type: 'startTimer', id: 'ring', ms: 30_000 });
  });

  test.each([
    ['another IP', verified(BOB, 'bob', '10.9.9.9')],
    ['nobody online', { type: 'caller-lookup-result', caller: 'bob', from: BOB, result: { ok: true, user: null } } as MachineEvent],
    ['a failed look-up', { type: 'caller-lookup-result', caller: 'bob', from: BOB, result: { ok: false, code: 'timeout', detail: 'slow' } } as MachineEvent],
  ])('ignored when the directory says %s', (_label, result) => {
    const { machine, effects } = run(idle, start(BOB), result);
    expect(machine.state.phase.kind).toBe('idle');
    expect(sends(effects)).toEqual([]);
    expect(has(effects, 'drop')).toBe(true);
  });

  test('a START from another socket of the caller: answers go to both its call port and that socket', () => {
    const { machine } = run(idle, start(BOB_SOCKET), verified(BOB_SOCKET, 'bob', BOB.address, BOB.port));
    const { effects } = run(machine, { type: 'user-accept' });
    expect(sends(effects)).toEqual(['ACCEPT>10.0.0.2:5002', 'ACCEPT>10.0.0.2:40000']);
  });

  test('a START naming ourselves is dropped', () => {
    const { effects } = run(idle, start(CAROL, 'Alice'));
    expect(effects).toEqual([{ type: 'drop', reason: 'START naming this phone' }]);
  });

  test.each(['dialing', 'calling', 'ringing', 'in-call (callee)', 'in-call (caller)'])('busy while %s: a third caller gets REJECT at once', (label) => {
    const { machine, effects } = run(states[label]!, start(CAROL, 'carol'));
    expect(sends(effects)).toEqual(['REJECT>10.0.0.3:5003']);
    expect(machine.state.phase.kind).toBe(states[label]!.state.phase.kind);
  });

  test.each(['ringing', 'in-call (callee)'])('while %s, repeats of the same START are the same call', (label) => {
    const { machine, effects } = run(states[label]!, start(BOB));
    expect(effects).toEqual([]);
    expect(machine.state.phase.kind).toBe(states[label]!.state.phase.kind);
  });

  test('a caller verified after we became busy gets REJECT', () => {
    const { effects } = run(idle, start(BOB), start(CAROL, 'carol'), verified(BOB), verified(CAROL, 'carol', CAROL.address, CAROL.port));
    expect(sends(effects)).toEqual(['REJECT>10.0.0.3:5003']);
  });

  test('after rejecting, a late START from that caller is answered REJECT again, not rung', () => {
    const rejected = run(ringing, { type: 'user-reject' }).machine;
    const { machine, effects } = run(rejected, start(BOB));
    expect(machine.state.phase.kind).toBe('idle');
    expect(sends(effects)).toEqual(['REJECT>10.0.0.2:5002']);
  });

  test('after a call ends, a late START from the peer is dropped until the linger timer', () => {
    const over = run(inCallCallee, sig(BOB, 'CLOSE')).machine;
    expect(run(over, start(BOB)).effects).toContainEqual(expect.objectContaining({ type: 'drop' }));
    const later = run(over, { type: 'timer', id: 'linger' }, start(BOB));
    expect(later.effects).toEqual([{ type: 'lookupCaller', caller: 'bob', from: BOB }]);
  });
});

describe('an unverified START', () => {
  const stranger = (ip: string): MachineEvent => ({ type: 'caller-lookup-result', caller: 'bob', from: CAROL, result: { ok: true, user: { name: 'bob', ip, port: BOB.port } } });

  test('its repeats are dropped without asking the directory again until the linger window ends', () => {
    const refused = run(idle, start(CAROL), stranger(BOB.address));
    expect(refused.machine.state.phase.kind).toBe('idle');
    const repeat = run(refused.machine, start(CAROL));
    expect(has(repeat.effects, 'lookupCaller')).toBe(false);
    expect(repeat.effects.some((e) => e.type === 'emit' && e.notice.name === 'log')).toBe(false);
    const later = run(refused.machine, { type: 'timer', id: 'linger' }, start(CAROL));
    expect(has(later.effects, 'lookupCaller')).toBe(true);
  });

  test('does not shorten the window of the call that ended before it', () => {
    const afterCall = run(inCallCallee, sig(BOB, 'CLOSE')).machine;
    const { machine } = run(afterCall, start(CAROL), stranger(BOB.address));
    expect(machine.state.lingering?.from).toEqual([BOB]);
    expect(machine.state.unverified).toEqual([CAROL]);
    expect(has(run(machine, start(BOB)).effects, 'lookupCaller')).toBe(false); // still the old call's late START
  });
});

describe('the ring tone effects', () => {
  test('an incoming call starts ringing once the directory vouched for the caller', () => {
    expect(run(idle, start(BOB), verified(BOB)).effects).toContainEqual({ type: 'startRinging' });
  });

  test('accepting stops the ring before the media starts', () => {
    const types = run(ringing, { type: 'user-accept' }).effects.map((e) => e.type);
    expect(types).toContain('stopRinging');
    expect(types.indexOf('stopRinging')).toBeLessThan(types.indexOf('startMedia'));
  });

  test.each([
    ['rejected', { type: 'user-reject' }],
    ['given up by the caller', sig(BOB, 'CLOSE')],
    ['not answered in time', { type: 'timer', id: 'ring' }],
    ['closed', { type: 'shutdown' }],
  ] as const)('a ringing call %s stops the ring', (_label, event) => {
    expect(run(ringing, event as MachineEvent).effects).toContainEqual({ type: 'stopRinging' });
  });

  test('outgoing calls never ring here', () => {
    expect(has(run(dialing, found()).effects, 'startRinging')).toBe(false);
  });
});
