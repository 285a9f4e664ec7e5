import { describe, expect, test } from 'vitest';
import { DEFAULT_CALL_TIMING, callMachineConfig, createCallMachine, transition, type CallMachine } from './call-machine.js';
import type { Effect, MachineEvent, PeerAddress } from './call-machine-types.js';

const config = callMachineConfig('alice', { ringTimeoutMs: 30_000, silenceTimeoutMs: 5_000, repeatIntervalMs: 150, repeatCount: 7 });
const BOB: PeerAddress = { address: '10.0.0.2', port: 5002 };
const BOB_SOCKET: PeerAddress = { address: '10.0.0.2', port: 40000 };
const CAROL: PeerAddress = { address: '10.0.0.3', port: 5003 };
const pcm = new Uint8Array(1024);

function run(machine: CallMachine, ...events: MachineEvent[]): { machine: CallMachine; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const event of events) {
    const result = transition(machine, event);
    machine = { config: result.config, state: result.state };
    effects = [...result.effects];
  }
  return { machine, effects };
}

const start = (from: PeerAddress, caller = 'bob'): MachineEvent => ({ type: 'signal', from, signal: { type: 'START', caller } });
const sig = (from: PeerAddress, type: 'ACCEPT' | 'REJECT' | 'CLOSE'): MachineEvent => ({ type: 'signal', from, signal: { type } });
const verified = (from: PeerAddress, caller = 'bob', ip = from.address, port = BOB.port): MachineEvent => ({
  type: 'caller-lookup-result',
  caller,
  from,
  result: { ok: true, user: { name: caller, ip, port } },
});
const found = (attempt = 1, ip = BOB.address, port = BOB.port): MachineEvent => ({ type: 'lookup-result', attempt, name: 'bob', result: { ok: true, user: { name: 'bob', ip, port } } });

const idle = createCallMachine(config);
const dialing = run(idle, { type: 'user-call', name: 'bob' }).machine;
const calling = run(dialing, found()).machine;
const ringing = run(idle, start(BOB), verified(BOB)).machine;
const inCallCallee = run(ringing, { type: 'user-accept' }).machine;
const inCallCaller = run(calling, sig(BOB, 'ACCEPT')).machine;

const states: Record<string, CallMachine> = { idle, dialing, calling, ringing, 'in-call (callee)': inCallCallee, 'in-call (caller)': inCallCaller };

function sends(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'send' ? [`${e.signal.type}${e.signal.type === 'START' ? ` ${e.signal.caller}` : ''}>${e.to.address}:${e.to.port}`] : []));
}
function ended(effects: readonly Effect[]): string | undefined {
  for (const e of effects) if (e.type === 'emit' && e.notice.name === 'ended') return e.notice.reason;
  return undefined;
}
function has(effects: readonly Effect[], type: Effect['type']): boolean {
  return effects.some((e) => e.type === type);
}

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
    expect(effects).toEqual([{ type: 'deliverAudio', pcm }, { type: 'startTimer', id: 'silence', ms: 5000 }]);
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
