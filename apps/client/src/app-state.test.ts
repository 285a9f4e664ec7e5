import { describe, expect, test } from 'vitest';
import { initialState, reduce, visibleUsers, type Action, type AppState } from './app-state.js';
import type { PhoneEvent } from './phone-events.js';

const NOW = 1_700_000_000_000;
const ev = (event: PhoneEvent): Action => ({ type: 'phone', event });
const registered = ev({ event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true });
const users = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.1', port: 5002 },
  { name: 'carol', ip: '127.0.0.1', port: 5003 },
];
const incoming = ev({ event: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 });
const ended = (peer: string, reason: 'hangup' | 'remote-hangup' | 'rejected' | 'error', message: string): Action =>
  ev({ event: 'ended', peer, reason, message, direction: 'outgoing', durationMs: 0 });

function run(state: AppState, ...actions: Action[]): AppState {
  return actions.reduce((s, a) => reduce(s, a, NOW), state);
}

const main = () => run(initialState({ server: '127.0.0.1:10000', name: 'alice' }), registered, ev({ event: 'users', users }));

describe('main screen', () => {
  test('registered then users: list ready, first user selected', () => {
    const state = main();
    expect(state.screen).toBe('main');
    expect(state.usersStatus).toBe('ready');
    expect(state.selected).toBe(0);
    expect(state.log.at(-1)?.message).toContain('registered as alice');
  });

  test('a classic server: list unsupported', () => {
    const state = run(initialState(), ev({ event: 'registered', name: 'alice', server: 'h:10000', udpPort: 5001, listSupported: false }));
    expect(state.usersStatus).toBe('unsupported');
  });

  test.each([
    [[1], 1],
    [[1, 1, 1, 1], 2],
    [[-1], 0],
    [[1, -1], 0],
  ])('select %j -> %i', (moves, selected) => {
    const state = run(main(), ...moves.map((delta) => ({ type: 'select', delta }) as Action));
    expect(state.selected).toBe(selected);
  });

  test('the selection follows its user when the list changes', () => {
    const state = run(main(), { type: 'select', delta: 2 }, ev({ event: 'users', users: [users[2]!, users[0]!] }));
    expect(state.selected).toBe(0);
    const shrunk = run(main(), { type: 'select', delta: 2 }, ev({ event: 'users', users: [users[0]!] }));
    expect(shrunk.selected).toBe(0);
  });

  test('incoming, connected, stats, ended', () => {
    let state = run(main(), incoming);
    expect(state.call).toMatchObject({ state: 'ringing', peer: 'bob', incoming: { caller: 'bob' } });
    state = run(state, ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null }));
    expect(state.call.incoming).toBeUndefined();
    expect(state.call.state).toBe('in-call');
    const stats = {
      packetsSent: 5,
      packetsReceived: 4,
      packetsLost: 1,
      packetsDropped: 0,
      inputLevelDbfs: -10,
      outputLevelDbfs: -20,
      durationMs: 65_000,
      packetsRejected: 0,
      packetsReplayed: 0,
      packetsLate: 0,
      packetsConcealed: 0,
      jitterMs: 0,
      playoutDelayMs: 0,
    };
    state = run(state, ev({ event: 'stats', ...stats }));
    expect(state.call.stats).toEqual(stats);
    state = run(state, ended('bob', 'remote-hangup', 'bob hung up'));
    expect(state.call).toMatchObject({ state: 'idle', lastEnd: { peer: 'bob', reason: 'remote-hangup', message: 'bob hung up' } });
    expect(state.log.at(-1)).toEqual({ level: 'info', message: 'bob hung up', at: NOW });
  });

  test('an ended call logs its one sentence at the level of its reason, with its final stats', () => {
    const stats = {
      packetsSent: 9,
      packetsReceived: 9,
      packetsLost: 0,
      packetsDropped: 0,
      inputLevelDbfs: -10,
      outputLevelDbfs: -20,
      durationMs: 9_000,
      packetsRejected: 0,
      packetsReplayed: 0,
      packetsLate: 0,
      packetsConcealed: 0,
      jitterMs: 0,
      playoutDelayMs: 0,
    };
    const rejected = run(main(), ended('bob', 'rejected', 'bob rejected the call'));
    expect(rejected.log.at(-1)).toMatchObject({ level: 'warn', message: 'bob rejected the call' });
    const failed = run(main(), ended('bob', 'error', 'the call with bob failed: socket closed'));
    expect(failed.log.at(-1)?.level).toBe('error');
    const withStats = run(main(), ev({ event: 'ended', peer: 'bob', reason: 'hangup', message: 'call with bob ended', direction: 'incoming', durationMs: 9000, stats }));
    expect(withStats.call.stats).toEqual(stats);
  });

  test('an incoming call closes a half-typed call prompt, an overlay and a filter being typed', () => {
    const state = run(main(), { type: 'prompt-open' }, { type: 'prompt-edit', value: 'da' }, incoming);
    expect(state.prompt).toBeUndefined();
    expect(state.call.incoming?.caller).toBe('bob');
    expect(run(main(), { type: 'view', view: 'help' }, incoming).view).toBe('main');
    expect(run(main(), { type: 'filter-open' }, { type: 'filter-edit', value: 'b' }, incoming).filter).toBeUndefined();
  });

  test('a phone state change off ringing clears the incoming prompt', () => {
    const state = run(main(), incoming, ev({ event: 'state', state: 'idle' }));
    expect(state.call.incoming).toBeUndefined();
  });

  test('the call timer runs from when we start ringing out', () => {
    let state = reduce(main(), ev({ event: 'state', state: 'dialing', peer: 'bob' }), NOW);
    expect(state.call.since).toBe(NOW);
    state = reduce(state, ev({ event: 'calling', peer: 'bob' }), NOW + 300);
    expect(state.call).toMatchObject({ state: 'calling', since: NOW });
    const direct = reduce(main(), ev({ event: 'calling', peer: 'bob' }), NOW + 5);
    expect(direct.call.since).toBe(NOW + 5);
  });

  test('audio and history events are kept', () => {
    const entry = { peer: 'bob', direction: 'incoming' as const, startedAt: '2026-12-01T20:00:00.000Z', durationMs: 0, outcome: 'cancelled' as const, missed: true };
    const state = run(main(), ev({ event: 'audio', muted: true, volume: 80 }), ev({ event: 'history', entries: [entry] }));
    expect(state.audio).toEqual({ muted: true, volume: 80 });
    expect(state.history).toEqual([entry]);
  });

  test('call prompt: open, bad name stays open with the reason, good name closes', () => {
    let state = run(main(), { type: 'prompt-open' }, { type: 'prompt-edit', value: 'b@b' }, { type: 'prompt-submit' });
    expect(state.prompt?.error).toContain('may contain only');
    state = run(state, { type: 'prompt-edit', value: 'bob' }, { type: 'prompt-submit' });
    expect(state.prompt).toBeUndefined();
    expect(run(main(), { type: 'prompt-open' }, { type: 'prompt-cancel' }).prompt).toBeUndefined();
  });

  test('directory lost while idle: back to the prefilled form with the reason', () => {
    const state = run(main(), ev({ event: 'error', code: 'directory-lost', message: 'lost the directory at 127.0.0.1:10000: connection reset' }));
    expect(state.screen).toBe('connect');
    expect(state.form.values).toEqual({ host: '127.0.0.1', port: '10000', name: 'alice', udpPort: '' });
    expect(state.form.failure).toContain('lost the directory at 127.0.0.1:10000: connection reset');
    expect(state.session).toBeUndefined();
  });

  test('failover: the banner says the directory was lost while the phone registers on the next; then the title names the new server', () => {
    let state = run(main(), ev({ event: 'disconnected', server: '127.0.0.1:10000', reason: 'connection reset' }));
    expect(state.screen).toBe('main');
    expect(state.failover).toContain('127.0.0.1:10000');
    expect(state.log.at(-1)).toMatchObject({ level: 'warn', message: expect.stringContaining('127.0.0.1:10000') });
    state = run(state, ev({ event: 'reconnected', server: '127.0.0.1:10001' }));
    expect(state.failover).toBeUndefined();
    expect(state.session?.server).toBe('127.0.0.1:10001');
    expect(state.log.at(-1)).toMatchObject({ level: 'info', message: expect.stringContaining('127.0.0.1:10001') });
  });

  test('directory lost during a call: stay until the call ends', () => {
    let state = run(
      main(),
      ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null }),
      ev({ event: 'error', code: 'directory-lost', message: 'lost the directory at 127.0.0.1:10000: closed' }),
    );
    expect(state.screen).toBe('main');
    expect(state.directoryLost).toContain('lost the directory');
    state = run(state, ended('bob', 'hangup', 'call with bob ended'));
    expect(state.screen).toBe('connect');
    expect(state.form.failure).toContain('lost the directory');
  });

  test('the log keeps the last 200 lines, each with its time', () => {
    let state = main();
    for (let i = 0; i < 250; i++) state = reduce(state, ev({ event: 'log', level: 'info', message: `line ${i}` }), NOW + i);
    expect(state.log).toHaveLength(200);
    expect(state.log.at(-1)).toEqual({ level: 'info', message: 'line 249', at: NOW + 249 });
  });

  test('the log scrolls back and forth within its lines; a scrolled view stays on its lines', () => {
    let state = main();
    for (let i = 0; i < 20; i++) state = run(state, ev({ event: 'log', level: 'info', message: `line ${i}` }));
    state = run(state, { type: 'log-scroll', delta: 5 });
    expect(state.logScroll).toBe(5);
    state = run(state, ev({ event: 'log', level: 'info', message: 'new' }));
    expect(state.logScroll).toBe(6);
    expect(run(state, { type: 'log-scroll', delta: -50 }).logScroll).toBe(0);
    expect(run(state, { type: 'log-scroll', delta: 500 }).logScroll).toBe(state.log.length - 1);
  });

  test('form actions are ignored outside the form', () => {
    const state = main();
    expect(reduce(state, { type: 'form-edit', field: 'name', value: 'x' }, NOW)).toBe(state);
    expect(reduce(state, { type: 'form-submit' }, NOW)).toBe(state);
  });
});

describe('quit confirmation', () => {
  test.each<[string, Action[]]>([
    ['in a call', [ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null })]],
    ['calling', [ev({ event: 'calling', peer: 'bob' })]],
    ['ringing', [incoming]],
  ])('%s: q asks, anything else cancels', (_label, actions) => {
    const asked = run(main(), ...actions, { type: 'quit-ask' });
    expect(asked.confirmQuit).toBe(true);
    expect(run(asked, { type: 'quit-cancel' }).confirmQuit).toBe(false);
  });
  test('idle: nothing to confirm', () => expect(run(main(), { type: 'quit-ask' }).confirmQuit).toBe(false));
  test('the call ending drops the question', () => {
    const state = run(
      main(),
      ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null }),
      { type: 'quit-ask' },
      ended('bob', 'remote-hangup', 'bob hung up'),
    );
    expect(state.confirmQuit).toBe(false);
  });
});

describe('user filter', () => {
  test('typing narrows the list, the selection indexes what is shown, Esc clears', () => {
    let state = run(main(), { type: 'filter-open' }, { type: 'filter-edit', value: 'CA' });
    expect(visibleUsers(state).map((u) => u.name)).toEqual(['carol']);
    expect(state.selected).toBe(0);
    state = run(state, { type: 'filter-close', clear: false });
    expect(state.filter).toMatchObject({ value: 'CA', editing: false });
    expect(visibleUsers(state).map((u) => u.name)).toEqual(['carol']);
    state = run(state, { type: 'filter-open' }, { type: 'filter-close', clear: true });
    expect(state.filter).toBeUndefined();
    expect(visibleUsers(state)[state.selected]?.name).toBe('carol');
  });
  test('the selection stays within the filtered list', () => {
    const state = run(main(), { type: 'filter-open' }, { type: 'filter-edit', value: 'o' }, { type: 'select', delta: 5 });
    expect(visibleUsers(state)[state.selected]?.name).toBe('carol');
  });
  test('no filter on a classic server', () => {
    const classic = run(initialState(), ev({ event: 'registered', name: 'alice', server: 'h:10000', udpPort: 5001, listSupported: false }));
    expect(run(classic, { type: 'filter-open' }).filter).toBeUndefined();
  });
});

describe('overlays', () => {
  test('help and history open on the main screen, scroll, and close', () => {
    let state = run(main(), { type: 'view', view: 'history' }, { type: 'overlay-scroll', delta: 3 }, { type: 'overlay-scroll', delta: -1 });
    expect(state).toMatchObject({ view: 'history', overlayScroll: 2 });
    state = run(state, { type: 'view', view: 'help' });
    expect(state).toMatchObject({ view: 'help', overlayScroll: 0 });
    expect(run(state, { type: 'overlay-scroll', delta: -4 }).overlayScroll).toBe(0);
    expect(run(state, { type: 'view', view: 'main' }).view).toBe('main');
    expect(run(initialState(), { type: 'view', view: 'help' }).view).toBe('main');
  });
});
