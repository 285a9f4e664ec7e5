// Transition tables of the call machine: user commands, directory results, config, shutdown, stats, how calls end.
import { describe, expect, test } from 'vitest';
import { DEFAULT_CALL_TIMING, callMachineConfig } from './call-machine-config.js';
import type { Effect, MachineEvent } from './call-machine-types.js';
import { BOB, CAROL, calling, dialing, ended, found, has, idle, inCallCaller, ringing, run, sends, sig, start, states, verified } from '../test/support/machine-fixtures.js';

describe('states reached by the fixtures', () => {
  test.each(Object.entries(states).map(([label, m]) => [label, m.state.phase.kind]))('%s is %s', (label, kind) => {
    expect(label.startsWith(kind)).toBe(true);
  });
});

describe('user commands', () => {
  test.each([
    ['idle', 'user-call', 'dialing'],
    ['dialing', 'user-call', 'dialing'],
    ['calling', 'user-call', 'calling'],
    ['ringing', 'user-call', 'ringing'],
    ['in-call (caller)', 'user-call', 'in-call'],
    ['ringing', 'user-accept', 'in-call'],
    ['ringing', 'user-reject', 'idle'],
    ['ringing', 'user-hangup', 'idle'],
    ['idle', 'user-hangup', 'idle'],
    ['dialing', 'user-hangup', 'idle'],
    ['calling', 'user-hangup', 'idle'],
    ['in-call (caller)', 'user-hangup', 'idle'],
    ['in-call (callee)', 'user-hangup', 'idle'],
  ] as const)('%s + %s -> %s', (from, type, to) => {
    const event = (type === 'user-call' ? { type, name: 'carol' } : { type }) as MachineEvent;
    const { machine } = run(states[from]!, event);
    expect(machine.state.phase.kind).toBe(to);
  });

  test.each([
    ['dialing', 'user-call', 'busy'],
    ['in-call (callee)', 'user-call', 'busy'],
    ['idle', 'user-accept', 'invalid-state'],
    ['calling', 'user-accept', 'invalid-state'],
    ['in-call (caller)', 'user-accept', 'invalid-state'],
    ['idle', 'user-reject', 'invalid-state'],
    ['in-call (callee)', 'user-reject', 'invalid-state'],
  ] as const)('%s + %s is refused with %s', (from, type, code) => {
    const event = (type === 'user-call' ? { type, name: 'carol' } : { type }) as MachineEvent;
    const { effects } = run(states[from]!, event);
    expect(effects).toContainEqual(expect.objectContaining({ type: 'refuse', code }));
  });

  test.each(['alice', 'ALICE', 'Alice'])('calling %s (ourselves) fails at once with self-call', (name) => {
    const { machine, effects } = run(idle, { type: 'user-call', name });
    expect(machine.state.phase.kind).toBe('idle');
    expect(ended(effects)).toBe('self-call');
    expect(has(effects, 'lookup')).toBe(false);
  });

  test('a call starts with a directory look-up', () => {
    const { effects } = run(idle, { type: 'user-call', name: 'bob' });
    expect(effects).toContainEqual({ type: 'lookup', name: 'bob', attempt: 1 });
  });

  test('accepting sends ACCEPT, schedules repeats, starts media and the silence timer', () => {
    const { effects } = run(ringing, { type: 'user-accept' });
    expect(sends(effects)).toEqual(['ACCEPT>10.0.0.2:5002']);
    expect(effects).toContainEqual({ type: 'startTimer', id: 'accept-repeat', ms: 150 });
    expect(effects).toContainEqual({ type: 'startMedia', peer: BOB });
    expect(effects).toContainEqual({ type: 'startTimer', id: 'silence', ms: 5000 });
  });

  test('rejecting sends REJECT once and ends with rejected', () => {
    const { effects } = run(ringing, { type: 'user-reject' });
    expect(sends(effects)).toEqual(['REJECT>10.0.0.2:5002']);
    expect(ended(effects)).toBe('rejected');
  });

  test.each([
    ['calling', 'cancelled', ['CLOSE>10.0.0.2:5002']],
    ['in-call (caller)', 'hangup', ['CLOSE>10.0.0.2:5002']],
    ['dialing', 'cancelled', []],
  ] as const)('hanging up while %s ends with %s and sends %j', (from, reason, sent) => {
    const { effects } = run(states[from]!, { type: 'user-hangup' });
    expect(ended(effects)).toBe(reason);
    expect(sends(effects)).toEqual(sent);
  });
});

describe('directory results', () => {
  test('found: START goes to the directory address, repeats and ring timer start', () => {
    const { machine, effects } = run(dialing, found());
    expect(machine.state.phase.kind).toBe('calling');
    expect(sends(effects)).toEqual(['START alice>10.0.0.2:5002']);
    expect(effects).toContainEqual({ type: 'startTimer', id: 'start-repeat', ms: 150 });
    expect(effects).toContainEqual({ type: 'startTimer', id: 'ring', ms: 30_000 });
  });

  test.each([
    [{ ok: true, user: null }, 'not-found'],
    [{ ok: false, code: 'connection-closed', detail: 'gone' }, 'directory-lost'],
    [{ ok: false, code: 'timeout', detail: 'slow' }, 'error'],
  ] as const)('look-up result %j ends the attempt with %s', (result, reason) => {
    const { machine, effects } = run(dialing, { type: 'lookup-result', attempt: 1, name: 'bob', result });
    expect(machine.state.phase.kind).toBe('idle');
    expect(ended(effects)).toBe(reason);
  });

  test('a late result of an abandoned attempt is ignored', () => {
    const { machine, effects } = run(dialing, { type: 'user-hangup' }, { type: 'user-call', name: 'bob' }, found(1));
    expect(machine.state.phase.kind).toBe('dialing');
    expect(effects).toEqual([]);
  });

  test('losing the directory while dialing ends with directory-lost; later calls fail at once', () => {
    const lost = run(dialing, { type: 'directory-lost' });
    expect(ended(lost.effects)).toBe('directory-lost');
    const again = run(lost.machine, { type: 'user-call', name: 'bob' });
    expect(ended(again.effects)).toBe('directory-lost');
    expect(has(again.effects, 'lookup')).toBe(false);
  });

  test('losing the directory during a call lets the call go on', () => {
    const { machine } = run(inCallCaller, { type: 'directory-lost' });
    expect(machine.state.phase.kind).toBe('in-call');
    expect(machine.state.directoryLost).toBe(true);
  });
});

describe('config', () => {
  test.each([
    [{}, 7 * 150 + 500],
    [{ repeatCount: 5, repeatIntervalMs: 100 }, 5 * 100 + 500],
    [{ repeatCount: 5, lingerMs: 3000 }, 3000],
    [{ lingerMs: undefined }, 7 * 150 + 500],
  ])('%j: the linger window is %i ms (the CLOSE repeat span plus 500 ms unless given)', (overrides, lingerMs) => {
    expect(callMachineConfig('alice', overrides).lingerMs).toBe(lingerMs);
  });

  test('the default timing says the same as the derived config', () => {
    expect(callMachineConfig('alice')).toEqual({ ...DEFAULT_CALL_TIMING, selfName: 'alice' });
  });

  test.each([{ ringTimeoutMs: 0 }, { repeatCount: 0 }, { silenceTimeoutMs: Number.NaN }])('rejects %j', (bad) => {
    expect(() => callMachineConfig('alice', bad)).toThrow(RangeError);
  });
});

describe('shutdown', () => {
  test.each(Object.entries(states))('from %s: ends what is in progress, then every START gets REJECT and no call can be placed', (_label, machine) => {
    const down = run(machine, { type: 'shutdown' }).machine;
    expect(down.state.phase.kind).toBe('idle');
    const after = run(down, start(CAROL, 'carol'));
    expect(sends(after.effects)).toEqual([`REJECT>${CAROL.address}:${CAROL.port}`]);
    expect(has(after.effects, 'lookupCaller')).toBe(false);
    const call = run(down, { type: 'user-call', name: 'carol' });
    expect(call.effects).toEqual([expect.objectContaining({ type: 'refuse', code: 'invalid-state' })]);
  });

  test('a START verified before the shutdown is refused when its look-up returns', () => {
    const verifying = run(idle, start(CAROL, 'carol')).machine;
    const { machine, effects } = run(verifying, { type: 'shutdown' }, verified(CAROL, 'carol', CAROL.address, CAROL.port));
    expect(machine.state.phase.kind).toBe('idle');
    expect(sends(effects)).toEqual([`REJECT>${CAROL.address}:${CAROL.port}`]);
  });
});

describe('the stats timer', () => {
  test('starts when a call connects, reports and restarts while in the call', () => {
    expect(run(ringing, { type: 'user-accept' }).effects).toContainEqual({ type: 'startTimer', id: 'stats', ms: 1000 });
    expect(run(calling, sig(BOB, 'ACCEPT')).effects).toContainEqual({ type: 'startTimer', id: 'stats', ms: 1000 });
    expect(run(inCallCaller, { type: 'timer', id: 'stats' }).effects).toEqual([{ type: 'reportStats' }, { type: 'startTimer', id: 'stats', ms: 1000 }]);
  });

  test.each(['idle', 'dialing', 'calling', 'ringing'])('a stats timer firing while %s does nothing', (from) => {
    expect(run(states[from]!, { type: 'timer', id: 'stats' }).effects).toEqual([]);
  });

  test('is cancelled when the call ends', () => {
    expect(run(inCallCaller, { type: 'user-hangup' }).effects).toContainEqual({ type: 'cancelTimer', id: 'stats' });
  });

  test('its interval is configurable and must be positive', () => {
    expect(callMachineConfig('alice', { statsIntervalMs: 250 }).statsIntervalMs).toBe(250);
    expect(DEFAULT_CALL_TIMING.statsIntervalMs).toBe(1000);
    expect(() => callMachineConfig('alice', { statsIntervalMs: 0 })).toThrow(RangeError);
  });
});

describe('how calls end', () => {
  function endedNotice(effects: readonly Effect[]): Record<string, unknown> | undefined {
    for (const e of effects) if (e.type === 'emit' && e.notice.name === 'ended') return e.notice as unknown as Record<string, unknown>;
    return undefined;
  }

  test.each([
    ['calling', { type: 'user-hangup' }, 'outgoing'],
    ['in-call (caller)', { type: 'user-hangup' }, 'outgoing'],
    ['dialing', { type: 'user-hangup' }, 'outgoing'],
    ['ringing', { type: 'user-reject' }, 'incoming'],
    ['in-call (callee)', { type: 'user-hangup' }, 'incoming'],
  ] as const)('a call ended while %s is %s', (from, event, direction) => {
    expect(endedNotice(run(states[from]!, event as MachineEvent).effects)).toMatchObject({ direction });
  });

  test.each([
    ['rejecting', ringing, { type: 'user-reject' }],
    ['a rejection', calling, sig(BOB, 'REJECT')],
    ['calling oneself', idle, { type: 'user-call', name: 'alice' }],
    ['calling someone not online', dialing, { type: 'lookup-result', attempt: 1, name: 'bob', result: { ok: true, user: null } }],
  ] as const)('%s carries no detail: the reason says it all', (_label, machine, event) => {
    const notice = endedNotice(run(machine, event as MachineEvent).effects);
    expect(notice).toBeDefined();
    expect(notice).not.toHaveProperty('detail');
  });

  test('a silent peer: the detail gives the timeout, not the name again', () => {
    expect(endedNotice(run(inCallCaller, { type: 'timer', id: 'silence' }).effects)).toMatchObject({ reason: 'peer-silent', detail: 'no audio for 5000 ms' });
  });
});
