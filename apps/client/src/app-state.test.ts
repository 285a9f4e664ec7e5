import { describe, expect, test } from 'vitest';
import { initialState, reduce, type Action, type AppState } from './app-state.js';

const session = { name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true };
const users = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.1', port: 5002 },
  { name: 'carol', ip: '127.0.0.1', port: 5003 },
];

function run(state: AppState, ...actions: Action[]): AppState {
  return actions.reduce(reduce, state);
}

const main = () => run(initialState({ server: '127.0.0.1:10000', name: 'alice' }), { type: 'registered', session }, { type: 'users', users });

describe('initialState', () => {
  test('no flags: the empty form, port 10000, host focused', () => {
    const state = initialState();
    expect(state.screen).toBe('connect');
    expect(state.form.values).toEqual({ host: '', port: '10000', name: '' });
    expect(state.form.focus).toBe('host');
    expect(state.exitOnConnectFailure).toBe(false);
  });
  test('--server and --name: straight to connecting, failures exit', () => {
    const state = initialState({ server: 'voip.lan:12000', name: 'bob' });
    expect(state.screen).toBe('connecting');
    expect(state.form.values).toEqual({ host: 'voip.lan', port: '12000', name: 'bob' });
    expect(state.exitOnConnectFailure).toBe(true);
  });
  test('--server only: prefilled form, name focused', () => {
    const state = initialState({ server: '10.0.0.1:10000' });
    expect(state.screen).toBe('connect');
    expect(state.form.focus).toBe('name');
  });
});

describe('connect form', () => {
  test.each<[Record<string, string>, Record<string, string | undefined>]>([
    [{ host: '', port: '10000', name: 'a' }, { host: 'host-empty' }],
    [{ host: '300.0.0.1', port: '10000', name: 'a' }, { host: 'bad host' }],
    [{ host: 'localhost', port: 'ten', name: 'a' }, { port: 'not a number' }],
    [{ host: 'localhost', port: '99999', name: 'a' }, { port: 'out of range' }],
    [{ host: 'localhost', port: '80', name: 'a' }, { port: 'out of range' }],
    [{ host: 'localhost', port: '10000', name: '' }, { name: 'empty' }],
    [{ host: 'localhost', port: '10000', name: 'a/b' }, { name: 'may contain only' }],
    [{ host: 'localhost', port: '10000', name: 'x'.repeat(33) }, { name: 'at most 32' }],
  ])('%j is refused inline', (values, expected) => {
    let state = initialState();
    for (const [field, value] of Object.entries(values)) state = reduce(state, { type: 'form-edit', field: field as 'host', value });
    state = reduce(state, { type: 'form-submit' });
    expect(state.screen).toBe('connect');
    for (const [field, fragment] of Object.entries(expected)) {
      if (fragment === 'host-empty') expect(state.form.errors.host).toContain('empty');
      else expect(state.form.errors[field as 'host']).toContain(fragment);
    }
    expect(Object.keys(state.form.errors)).toEqual(Object.keys(expected));
    expect(state.form.focus).toBe(Object.keys(expected)[0]);
  });

  test('a valid form goes to connecting; editing a field clears its error', () => {
    let state = run(initialState(), { type: 'form-edit', field: 'name', value: 'alice' }, { type: 'form-submit' });
    expect(state.form.errors.host).toBeDefined();
    state = reduce(state, { type: 'form-edit', field: 'host', value: '127.0.0.1' });
    expect(state.form.errors.host).toBeUndefined();
    state = reduce(state, { type: 'form-submit' });
    expect(state.screen).toBe('connecting');
  });

  test('focus cycles both ways', () => {
    const state = initialState();
    expect(reduce(state, { type: 'form-focus', delta: 1 }).form.focus).toBe('port');
    expect(reduce(state, { type: 'form-focus', delta: -1 }).form.focus).toBe('name');
  });

  test('a failed connect returns to the form with the reason and stops exiting', () => {
    const state = reduce(initialState({ server: '127.0.0.1:10000', name: 'alice' }), { type: 'connect-failed', detail: 'name taken' });
    expect(state.screen).toBe('connect');
    expect(state.form.failure).toBe('name taken');
    expect(state.exitOnConnectFailure).toBe(false);
  });
});

describe('main screen', () => {
  test('registered then users: list ready, first user selected', () => {
    const state = main();
    expect(state.screen).toBe('main');
    expect(state.usersStatus).toBe('ready');
    expect(state.selected).toBe(0);
    expect(state.log.at(-1)?.message).toContain('registered as alice');
  });

  test('a classic server: list unsupported', () => {
    const state = run(initialState(), { type: 'registered', session: { ...session, listSupported: false } });
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
    const state = run(main(), { type: 'select', delta: 2 }, { type: 'users', users: [users[2]!, users[0]!] });
    expect(state.selected).toBe(0);
    const shrunk = run(main(), { type: 'select', delta: 2 }, { type: 'users', users: [users[0]!] });
    expect(shrunk.selected).toBe(0);
  });

  test('incoming, connected, stats, ended', () => {
    let state = reduce(main(), { type: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 });
    expect(state.call).toMatchObject({ state: 'ringing', peer: 'bob', incoming: { caller: 'bob' } });
    state = reduce(state, { type: 'call-connected', peer: 'bob' });
    expect(state.call.incoming).toBeUndefined();
    expect(state.call.state).toBe('in-call');
    const stats = { packetsSent: 5, packetsReceived: 4, packetsLost: 1, packetsDropped: 0, inputLevelDbfs: -10, outputLevelDbfs: -20, durationMs: 65_000 };
    state = reduce(state, { type: 'stats', stats });
    expect(state.call.stats).toEqual(stats);
    state = reduce(state, { type: 'call-ended', peer: 'bob', reason: 'remote-hangup' });
    expect(state.call).toMatchObject({ state: 'idle', lastEnd: { peer: 'bob', reason: 'remote-hangup' } });
    expect(state.log.at(-1)).toEqual({ level: 'info', message: 'bob hung up' });
  });

  test('an incoming call closes a half-typed call prompt', () => {
    const state = run(main(), { type: 'prompt-open' }, { type: 'prompt-edit', value: 'da' }, { type: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 });
    expect(state.prompt).toBeUndefined();
    expect(state.call.incoming?.caller).toBe('bob');
  });

  test('a phone state change off ringing clears the incoming prompt', () => {
    const state = run(main(), { type: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 }, { type: 'phone-state', state: 'idle' });
    expect(state.call.incoming).toBeUndefined();
  });

  test('call prompt: open, bad name stays open with the reason, good name closes', () => {
    let state = run(main(), { type: 'prompt-open' }, { type: 'prompt-edit', value: 'b@b' }, { type: 'prompt-submit' });
    expect(state.prompt?.error).toContain('may contain only');
    state = run(state, { type: 'prompt-edit', value: 'bob' }, { type: 'prompt-submit' });
    expect(state.prompt).toBeUndefined();
    expect(run(main(), { type: 'prompt-open' }, { type: 'prompt-cancel' }).prompt).toBeUndefined();
  });

  test('directory lost while idle: back to the prefilled form with the reason', () => {
    const state = reduce(main(), { type: 'directory-lost', reason: 'connection reset' });
    expect(state.screen).toBe('connect');
    expect(state.form.values).toEqual({ host: '127.0.0.1', port: '10000', name: 'alice' });
    expect(state.form.failure).toContain('lost the directory at 127.0.0.1:10000: connection reset');
    expect(state.session).toBeUndefined();
  });

  test('directory lost during a call: stay until the call ends', () => {
    let state = run(main(), { type: 'call-connected', peer: 'bob' }, { type: 'directory-lost', reason: 'closed' });
    expect(state.screen).toBe('main');
    expect(state.directoryLost).toContain('lost the directory');
    state = reduce(state, { type: 'call-ended', peer: 'bob', reason: 'hangup' });
    expect(state.screen).toBe('connect');
    expect(state.form.failure).toContain('lost the directory');
  });

  test('the log keeps the last 200 lines', () => {
    let state = main();
    for (let i = 0; i < 250; i++) state = reduce(state, { type: 'log', level: 'info', message: `line ${i}` });
    expect(state.log).toHaveLength(200);
    expect(state.log.at(-1)?.message).toBe('line 249');
  });

  test('form actions are ignored outside the form', () => {
    const state = main();
    expect(reduce(state, { type: 'form-edit', field: 'name', value: 'x' })).toBe(state);
    expect(reduce(state, { type: 'form-submit' })).toBe(state);
  });
});
