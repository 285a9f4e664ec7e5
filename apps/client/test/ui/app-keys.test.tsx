import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { parseCli, type CliOptions } from '../../src/cli-args.js';
import type { ConnectFailure } from '../../src/phone-contract.js';
import { App, type AppExit } from '../../src/ui/App.js';
import { FakeCallFailedError, FakePhone, connectedEvent, fakeCallFailure, fakeConnect } from './fake-phone.js';

afterEach(() => cleanup());

const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  home: '\u001B[H',
  end: '\u001B[F',
  enter: '\r',
  escape: '\u001B',
  tab: '\t',
  ctrlC: '\u0003',
  backspace: '\u007F',
};

function options(argv: string[]): CliOptions {
  const parsed = parseCli([...argv, '--audio-in', 'silence', '--audio-out', 'null']);
  if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
  return parsed.options;
}

/** Waits until the frame satisfies the check (renders and effects are asynchronous). */
async function until(frame: () => string | undefined, check: (text: string) => boolean): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = frame() ?? '';
    if (check(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`frame never matched:\n${frame()}`);
}

async function type(stdin: { write(data: string): void }, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

function mount(argv: string[], outcome: FakePhone | ConnectFailure) {
  const connect = fakeConnect(outcome);
  const exits: AppExit[] = [];
  const app = render(<App options={options(argv)} connect={connect} callFailure={fakeCallFailure} onExit={(exit) => exits.push(exit)} />);
  return { ...app, connect, exits };
}

const direct = ['--server', '127.0.0.1:10000', '--name', 'alice'];
const THREE = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.1', port: 5002 },
  { name: 'carol', ip: '127.0.0.1', port: 5003 },
];

describe('App keys', () => {
  test('the form: a bad port shows inline, fixing it connects', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame, connect } = mount([], phone);
    await until(lastFrame, (t) => t.includes('Server IP or host'));
    await type(stdin, '127.0.0.1', KEY.enter, ...Array<string>(5).fill(KEY.backspace), '99999', KEY.enter, 'alice', KEY.enter);
    await until(lastFrame, (t) => t.includes('port 99999 is out of range'));
    expect(connect.requests).toHaveLength(0);
    await type(stdin, ...Array<string>(5).fill(KEY.backspace), '10001', KEY.tab, KEY.enter); // the failed submit focused the port
    await until(lastFrame, (t) => t.includes('voip · alice @ 127.0.0.1:10001'));
    expect(connect.requests[0]).toMatchObject({ server: '127.0.0.1:10001', name: 'alice', udpPort: 5001, audioIn: 'silence', audioOut: 'null' });
  });

  test('a failed connect from the form shows the reason inline', async () => {
    const { stdin, lastFrame, exits } = mount(['--server', '127.0.0.1:10000'], { ok: false, code: 'name-refused', detail: 'the directory refused the name "alice": name taken' });
    await until(lastFrame, (t) => t.includes('Your name'));
    await type(stdin, 'alice', KEY.enter);
    await until(lastFrame, (t) => t.includes('name taken'));
    expect(exits).toEqual([]);
  });

  test('with --server and --name a connect failure exits 2 with the message', async () => {
    const { exits } = mount(direct, { ok: false, code: 'udp-port-in-use', detail: 'UDP port 5001 is already in use: is another client running? try --udp-port' });
    await until(
      () => String(exits.length),
      (t) => t === '1',
    );
    expect(exits).toEqual([{ code: 2, message: 'UDP port 5001 is already in use: is another client running? try --udp-port' }]);
  });

  test('arrows and Enter call the selected user; h hangs up', async () => {
    const phone = new FakePhone();
    phone.userList = THREE;
    phone.onCall = () => Promise.resolve();
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('carol'));
    await type(stdin, KEY.down, KEY.down, KEY.up, KEY.enter);
    expect(phone.calls).toEqual(['bob']);
    phone.emit('state', { state: 'calling', peer: 'bob' });
    phone.emit('calling', { peer: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    await until(lastFrame, (t) => t.includes('in-call · bob · 00:00'));
    await type(stdin, 'h');
    expect(phone.actions).toEqual(['hangup']);
  });

  test('an incoming call: a accepts, then r on the next one rejects', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    await until(lastFrame, (t) => t.includes('bob is calling'));
    await type(stdin, 'a');
    expect(phone.actions).toEqual(['accept']);
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('ended', { peer: 'bob', reason: 'remote-hangup', direction: 'incoming', durationMs: 0 });
    phone.emit('incoming', { caller: 'carol', ip: '127.0.0.1', port: 5003 });
    await until(lastFrame, (t) => t.includes('carol is calling'));
    await type(stdin, 'n');
    expect(phone.actions).toEqual(['accept', 'reject']);
  });

  test('a classic server: list unavailable, c opens "call who?", Enter calls', async () => {
    const phone = new FakePhone();
    phone.listSupported = false;
    phone.onCall = (name) => {
      phone.emit('ended', { peer: name, reason: 'not-found', direction: 'outgoing', durationMs: 0 });
      return Promise.reject(new FakeCallFailedError('not-found'));
    };
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('user list unavailable'));
    await type(stdin, 'c');
    await until(lastFrame, (t) => t.includes('Call who?'));
    await type(stdin, 'dave', KEY.enter);
    expect(phone.calls).toEqual(['dave']);
    const frame = await until(lastFrame, (t) => t.includes('dave is not online'));
    expect(frame).not.toContain('Call who?');
  });

  test('Esc closes the prompt without calling; letters typed there are not commands', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    await type(stdin, 'c');
    await until(lastFrame, (t) => t.includes('Call who?'));
    await type(stdin, 'q', KEY.escape);
    await until(lastFrame, (t) => !t.includes('Call who?'));
    expect(phone.calls).toEqual([]);
    expect(phone.closed).toBe(false);
  });

  test('directory lost: the form comes back prefilled and the phone is closed', async () => {
    const phone = new FakePhone();
    const { lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    phone.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: false });
    const frame = await until(lastFrame, (t) => t.includes('Server IP or host'));
    expect(frame).toContain('lost the directory at 127.0.0.1:10000: connection reset');
    expect(frame).toContain('alice');
    expect(phone.closed).toBe(true);
  });

  test('after the directory is lost, Enter reconnects once the old phone has closed', async () => {
    const first = new FakePhone();
    const second = new FakePhone();
    let releaseFirst!: () => void;
    first.close = () => {
      first.closed = true;
      return new Promise<void>((resolve) => (releaseFirst = resolve));
    };
    const phones = [first, second];
    const requests: unknown[] = [];
    const connect = async (request: unknown) => {
      requests.push(request);
      return { ok: true as const, value: phones[requests.length - 1]! };
    };
    const app = render(<App options={options(direct)} connect={connect} callFailure={fakeCallFailure} onExit={() => undefined} />);
    await until(app.lastFrame, (t) => t.includes('Users online'));
    first.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: false });
    await until(app.lastFrame, (t) => t.includes('Press Enter to connect again'));
    await type(app.stdin, KEY.enter);
    await until(app.lastFrame, (t) => t.includes('connecting to 127.0.0.1:10000 as alice'));
    expect(requests).toHaveLength(1);
    releaseFirst();
    await until(app.lastFrame, (t) => t.includes('Users online'));
    expect(requests).toHaveLength(2);
  });

  test('Ctrl-C hangs up, closes the phone and exits 0', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame, exits } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    await type(stdin, KEY.ctrlC);
    await until(
      () => String(exits.length),
      (t) => t === '1',
    );
    expect(exits).toEqual([{ code: 0 }]);
    expect(phone.actions).toEqual(['hangup', 'close']);
  });

  test('SIGINT/SIGTERM (quitRequested) hangs up, closes and exits 0', async () => {
    const phone = new FakePhone();
    const connect = fakeConnect(phone);
    const exits: AppExit[] = [];
    const tree = (quitRequested: boolean) => (
      <App options={options(direct)} connect={connect} callFailure={fakeCallFailure} quitRequested={quitRequested} onExit={(exit) => exits.push(exit)} />
    );
    const { lastFrame, rerender } = render(tree(false));
    await until(lastFrame, (t) => t.includes('Users online'));
    rerender(tree(true));
    await until(
      () => String(exits.length),
      (t) => t === '1',
    );
    expect(exits).toEqual([{ code: 0 }]);
    expect(phone.actions).toEqual(['hangup', 'close']);
  });

  test('an incoming call while typing a name: the prompt gives way, y accepts', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    await type(stdin, 'c', 'da');
    await until(lastFrame, (t) => t.includes('Call who? da'));
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    await until(lastFrame, (t) => t.includes('bob is calling') && !t.includes('Call who?'));
    await type(stdin, 'y');
    expect(phone.actions).toEqual(['accept']);
  });

  test('keys that arrive in one read are all applied: two Backspaces, text then Tab', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame, connect } = mount([], phone);
    await until(lastFrame, (t) => t.includes('Server IP or host'));
    await type(stdin, '127.0.0.1xx', KEY.backspace + KEY.backspace, 'q', KEY.backspace, ':10002' + KEY.tab + 'alice' + KEY.enter);
    await until(lastFrame, (t) => t.includes('voip · alice @ 127.0.0.1:10002'));
    expect(connect.requests[0]).toMatchObject({ server: '127.0.0.1:10002', name: 'alice' });
  });

  test('arrows move the cursor and typing inserts there', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame, connect } = mount([], phone);
    await until(lastFrame, (t) => t.includes('Server IP or host'));
    await type(stdin, '12.0.0.1', KEY.home, KEY.right, '7', KEY.end, KEY.enter, KEY.enter, 'alice', KEY.enter);
    await until(lastFrame, (t) => t.includes('voip · alice @ 172.0.0.1:10000'));
    expect(connect.requests[0]).toMatchObject({ server: '172.0.0.1:10000' });
  });

  test('a UDP port clash is fixed in place on the form', async () => {
    let attempt = 0;
    const phone = new FakePhone();
    const requests: Array<{ udpPort: number }> = [];
    const connect = async (request: { udpPort: number }) => {
      requests.push(request);
      return attempt++ === 0 ? { ok: false as const, code: 'udp-port-in-use', detail: 'UDP port 5001 is already in use' } : { ok: true as const, value: phone };
    };
    const app = render(<App options={options(['--server', '127.0.0.1:10000'])} connect={connect} callFailure={fakeCallFailure} onExit={() => undefined} />);
    await until(app.lastFrame, (t) => t.includes('Your name'));
    await type(app.stdin, 'alice', KEY.enter);
    await until(app.lastFrame, (t) => t.includes('UDP port 5001 is already in use'));
    await type(app.stdin, KEY.tab, '\u0015', '5002', KEY.enter);
    await until(app.lastFrame, (t) => t.includes('voip · alice @'));
    expect(requests.map((r) => r.udpPort)).toEqual([5001, 5002]);
  });

  test('q in a call asks first: another key stays, y quits', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame, exits } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    await until(lastFrame, (t) => t.includes('in-call · bob'));
    await type(stdin, 'q');
    await until(lastFrame, (t) => t.includes('Quit now and hang up the call with bob?'));
    await type(stdin, 'x');
    await until(lastFrame, (t) => !t.includes('Quit now'));
    expect(exits).toEqual([]);
    await type(stdin, 'q', 'y');
    await until(
      () => String(exits.length),
      (t) => t === '1',
    );
    expect(exits).toEqual([{ code: 0 }]);
    expect(phone.actions).toEqual(['hangup', 'close']);
  });

  test('? shows every key, Esc goes back; l shows the history', async () => {
    const phone = new FakePhone();
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('Users online'));
    await type(stdin, '?');
    await until(lastFrame, (t) => t.includes('Keys · Esc back'));
    await type(stdin, KEY.escape);
    await until(lastFrame, (t) => t.includes('Users online'));
    await type(stdin, 'l');
    await until(lastFrame, (t) => t.includes('Call history (0)') && t.includes('no calls yet'));
  });

  test('/ filters the list and Enter calls the one selected in it', async () => {
    const phone = new FakePhone();
    phone.userList = THREE;
    const { stdin, lastFrame } = mount(direct, phone);
    await until(lastFrame, (t) => t.includes('carol'));
    await type(stdin, '/', 'car', KEY.enter);
    await until(lastFrame, (t) => t.includes('(1 of 3)') && !t.includes('bob'));
    await type(stdin, KEY.enter);
    expect(phone.calls).toEqual(['carol']);
  });

  test('Ctrl-C on the form exits 0', async () => {
    const { stdin, lastFrame, exits } = mount([], new FakePhone());
    await until(lastFrame, (t) => t.includes('Server IP or host'));
    await type(stdin, KEY.ctrlC);
    await until(
      () => String(exits.length),
      (t) => t === '1',
    );
    expect(exits).toEqual([{ code: 0 }]);
  });
});
