import { describe, expect, test } from 'vitest';
import { formServer, formServers, formUdpPort, initialState, reduce, type Action, type AppState } from './app-state.js';

const NOW = 0;
const run = (state: AppState, ...actions: Action[]): AppState => actions.reduce((s, a) => reduce(s, a, NOW), state);
const edit = (field: 'host' | 'port' | 'name' | 'udpPort', value: string): Action => ({ type: 'form-edit', field, value });

describe('initialState', () => {
  test('no flags: the empty form, port 10000, host focused', () => {
    const state = initialState();
    expect(state.screen).toBe('connect');
    expect(state.form.values).toEqual({ host: '', port: '10000', name: '', udpPort: '' });
    expect(state.form.focus).toBe('host');
    expect(state.exitOnConnectFailure).toBe(false);
  });
  test('--server and --name: straight to connecting, failures exit', () => {
    const state = initialState({ server: 'voip.lan:12000', name: 'bob' });
    expect(state.screen).toBe('connecting');
    expect(state.form.values).toEqual({ host: 'voip.lan', port: '12000', name: 'bob', udpPort: '' });
    expect(state.exitOnConnectFailure).toBe(true);
  });
  test('--server only: prefilled form, name focused', () => {
    const state = initialState({ server: '10.0.0.1:10000' });
    expect(state.screen).toBe('connect');
    expect(state.form.focus).toBe('name');
  });
  test('--udp-port prefills the UDP port field, which the connect takes', () => {
    const state = initialState({ udpPort: 6001 });
    expect(state.form.values.udpPort).toBe('6001');
    expect(formUdpPort(state.form, 5001)).toBe(6001);
  });
});

describe('connect form', () => {
  test.each<[Record<string, string>, Record<string, string | undefined>]>([
    [{ host: '', port: '10000', name: 'a' }, { host: 'host-empty' }],
    [{ host: '300.0.0.1', port: '10000', name: 'a' }, { host: 'bad host' }],
    [{ host: 'localhost', port: 'ten', name: 'a' }, { port: 'not a number' }],
    [{ host: 'localhost', port: '99999', name: 'a' }, { port: 'out of range' }],
    [{ host: 'localhost', port: '0', name: 'a' }, { port: 'out of range' }],
    [{ host: 'localhost', port: '10000', name: '' }, { name: 'empty' }],
    [{ host: 'localhost', port: '10000', name: 'a/b' }, { name: 'may contain only' }],
    [{ host: 'localhost', port: '10000', name: 'x'.repeat(33) }, { name: 'at most 32' }],
    [{ host: 'localhost', port: '10000', name: 'a', udpPort: '80' }, { udpPort: 'UDP port 80 is out of range (1024-65535)' }],
    [{ host: 'localhost', port: '10000', name: 'a', udpPort: 'x' }, { udpPort: 'not a number' }],
  ])('%j is refused inline', (values, expected) => {
    let state = initialState();
    for (const [field, value] of Object.entries(values)) state = reduce(state, edit(field as 'host', value), NOW);
    state = reduce(state, { type: 'form-submit' }, NOW);
    expect(state.screen).toBe('connect');
    for (const [field, fragment] of Object.entries(expected)) {
      if (fragment === 'host-empty') expect(state.form.errors.host).toContain('empty');
      else expect(state.form.errors[field as 'host']).toContain(fragment);
    }
    expect(Object.keys(state.form.errors)).toEqual(Object.keys(expected));
    expect(state.form.focus).toBe(Object.keys(expected)[0]);
  });

  test.each(['443', '80', '1'])('a directory on port %s is allowed', (port) => {
    const state = run(initialState(), edit('host', 'voip.example'), edit('port', port), edit('name', 'alice'), { type: 'form-submit' });
    expect(state.screen).toBe('connecting');
    expect(formServer(state.form)).toBe(`voip.example:${port}`);
  });

  test('a valid form goes to connecting; editing a field clears its error', () => {
    let state = run(initialState(), edit('name', 'alice'), { type: 'form-submit' });
    expect(state.form.errors.host).toBeDefined();
    state = reduce(state, edit('host', '127.0.0.1'), NOW);
    expect(state.form.errors.host).toBeUndefined();
    state = reduce(state, { type: 'form-submit' }, NOW);
    expect(state.screen).toBe('connecting');
  });

  test('focus cycles both ways through the four fields', () => {
    const state = initialState();
    expect(reduce(state, { type: 'form-focus', delta: 1 }, NOW).form.focus).toBe('port');
    expect(reduce(state, { type: 'form-focus', delta: -1 }, NOW).form.focus).toBe('udpPort');
    expect(run(state, { type: 'form-focus', delta: 1 }, { type: 'form-focus', delta: 1 }).form.focus).toBe('name');
  });

  test('focus moves the cursor to the end of the new field', () => {
    const state = run(initialState(), { type: 'form-edit', field: 'host', value: 'abc', cursor: 1 }, { type: 'form-focus', delta: 1 });
    expect(state.form.cursor).toBe(5);
    expect(run(initialState(), { type: 'form-edit', field: 'host', value: 'abc', cursor: 1 }).form.cursor).toBe(1);
  });

  test('host:port in the host field: the port field follows, leaving the field splits it', () => {
    let state = run(initialState(), edit('host', 'voip.example:443'));
    expect(state.form.values.port).toBe('443');
    expect(state.form.values.host).toBe('voip.example:443');
    state = reduce(state, { type: 'form-focus', delta: 1 }, NOW);
    expect(state.form.values).toMatchObject({ host: 'voip.example', port: '443' });
    // The port came with the host: Tab goes on to the name, past the filled-in port.
    expect(state.form.focus).toBe('name');
    expect(reduce(state, { type: 'form-focus', delta: -1 }, NOW).form.focus).toBe('port');
    state = run(initialState(), edit('host', '127.0.0.1:12000'), edit('name', 'bob'), { type: 'form-submit' });
    expect(state.screen).toBe('connecting');
    expect(formServer(state.form)).toBe('127.0.0.1:12000');
  });

  test("host:port with a bad port is refused on the host field, in the parser's words", () => {
    const state = run(initialState(), edit('host', '127.0.0.1:99999'), edit('name', 'bob'), { type: 'form-submit' });
    expect(state.form.errors).toEqual({ host: 'the port in "127.0.0.1:99999" must be an integer from 1 to 65535' });
    expect(state.form.focus).toBe('host');
    expect(state.form.values.port).toBe('10000');
  });

  test('[v6]:port in the host field: the port follows, the host is checked as a host', () => {
    const state = run(initialState(), edit('host', '[::1]:443'), edit('name', 'bob'), { type: 'form-submit' });
    expect(state.form.values.port).toBe('443');
    expect(state.form.errors.host).toContain('bad host "::1"');
  });

  test('a --server the parser refuses is shown as given and refused on submit', () => {
    const state = run(initialState({ server: 'localhost:abc' }), edit('name', 'alice'), { type: 'form-submit' });
    expect(state.form.values.host).toBe('localhost:abc');
    expect(state.form.errors.host).toBe('the port in "localhost:abc" must be an integer from 1 to 65535');
  });

  test('--server [::1]:12000 is split by the one parser', () => {
    expect(initialState({ server: '[::1]:12000', name: 'bob' }).form.values).toMatchObject({ host: '::1', port: '12000' });
  });

  test('an empty UDP port field leaves the command line one', () => {
    const state = run(initialState(), edit('host', 'h'), edit('name', 'bob'), { type: 'form-submit' });
    expect(formUdpPort(state.form, 5001)).toBe(5001);
    const fixed = run(initialState({ udpPort: 5001 }), edit('host', 'h'), edit('name', 'bob'), edit('udpPort', '5002'), { type: 'form-submit' });
    expect(fixed.screen).toBe('connecting');
    expect(formUdpPort(fixed.form, 5001)).toBe(5002);
  });

  test('a failed connect returns to the form with the reason and stops exiting', () => {
    const state = reduce(
      initialState({ server: '127.0.0.1:10000', name: 'alice' }),
      { type: 'phone', event: { event: 'error', code: 'name-refused', message: 'name taken' } },
      NOW,
    );
    expect(state.screen).toBe('connect');
    expect(state.form.failure).toBe('name taken');
    expect(state.exitOnConnectFailure).toBe(false);
  });
});

describe('several servers from --server', () => {
  test('the form shows the first; the others are kept to fail over to', () => {
    const state = initialState({ server: '10.0.0.1:10000,10.0.0.2:10001', name: 'alice' });
    expect(state.form.values).toMatchObject({ host: '10.0.0.1', port: '10000' });
    expect(formServers(state.form, '10.0.0.1:10000,10.0.0.2:10001')).toBe('10.0.0.1:10000,10.0.0.2:10001');
    expect(formServers(state.form, undefined)).toBe('10.0.0.1:10000');
  });
});
