import { render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { initialState, reduce, type Action, type AppState } from '../../src/app-state.js';
import { ConnectForm } from '../../src/ui/ConnectForm.js';
import { MainScreen } from '../../src/ui/MainScreen.js';

afterEach(() => cleanup());

const session = { name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true };
const users = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.2', port: 5002 },
  { name: 'carol', ip: '127.0.0.3', port: 5003 },
];
const stats = { packetsSent: 120, packetsReceived: 118, packetsLost: 2, packetsDropped: 1, inputLevelDbfs: -30, outputLevelDbfs: -Infinity, durationMs: 83_000 };

function run(state: AppState, ...actions: Action[]): AppState {
  return actions.reduce(reduce, state);
}
const main = run(initialState(), { type: 'registered', session }, { type: 'users', users }, { type: 'select', delta: 1 });
const noop = () => undefined;

describe('ConnectForm', () => {
  test('shows the three fields and the reasons next to the bad ones', () => {
    const state = run(
      initialState(),
      { type: 'form-edit', field: 'host', value: '300.1.1.1' },
      { type: 'form-edit', field: 'port', value: '99999' },
      { type: 'form-edit', field: 'name', value: 'bad/name' },
      { type: 'form-submit' },
    );
    const { lastFrame } = render(<ConnectForm form={state.form} connecting={false} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Server IP or host');
    expect(frame).toContain('300.1.1.1');
    expect(frame).toContain('bad host "300.1.1.1"');
    expect(frame).toContain('port 99999 is out of range (1024-65535)');
    expect(frame).toContain('may contain only letters');
  });

  test('a port that is not a number', () => {
    const state = run(initialState({ server: 'localhost:abc' }), { type: 'form-edit', field: 'name', value: 'alice' }, { type: 'form-submit' });
    const { lastFrame } = render(<ConnectForm form={state.form} connecting={false} />);
    expect(lastFrame()).toContain('port "abc" is not a number');
  });

  test('connecting, then a failure from the server', () => {
    const connecting = initialState({ server: '127.0.0.1:10000', name: 'alice' });
    const { lastFrame, rerender } = render(<ConnectForm form={connecting.form} connecting />);
    expect(lastFrame()).toContain('connecting to 127.0.0.1:10000 as alice');
    const failed = reduce(connecting, { type: 'connect-failed', detail: 'the directory refused the name "alice": name taken' });
    rerender(<ConnectForm form={failed.form} connecting={false} />);
    expect(lastFrame()).toContain('refused the name "alice": name taken');
    expect(lastFrame()).not.toContain('connecting to');
  });

  test('directory lost: the form comes back prefilled with the reason', () => {
    const lost = reduce(main, { type: 'directory-lost', reason: 'connection reset' });
    expect(lost.screen).toBe('connect');
    const { lastFrame } = render(<ConnectForm form={lost.form} connecting={false} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('lost the directory at 127.0.0.1:10000: connection reset');
    expect(frame).toContain('Press Enter to connect again');
    expect(frame).toContain('127.0.0.1');
    expect(frame).toContain('alice');
  });
});

describe('MainScreen', () => {
  test('users online with the selection and who we are', () => {
    const { lastFrame } = render(<MainScreen state={main} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('voip · alice @ 127.0.0.1:10000 · UDP 5001');
    expect(frame).toContain('alice (you)');
    expect(frame).toContain('› bob  127.0.0.2:5002');
    expect(frame).toContain('  carol  127.0.0.3:5003');
    expect(frame).toContain('idle');
  });

  test('a classic server: the list is unavailable, call by name', () => {
    const classic = run(initialState(), { type: 'registered', session: { ...session, listSupported: false } });
    const { lastFrame } = render(<MainScreen state={classic} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('user list unavailable');
    expect(frame).toContain('Press c to call someone by name');
  });

  test('an incoming call prompt', () => {
    const ringing = reduce(main, { type: 'incoming', caller: 'bob', ip: '127.0.0.2', port: 5002 });
    const { lastFrame } = render(<MainScreen state={ringing} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('bob is calling (127.0.0.2:5002)');
    expect(frame).toContain('press a or y to accept, r or n to reject');
    expect(frame).toContain('ringing');
  });

  test('in a call: peer, mm:ss, packets and level meters', () => {
    const inCall = run(main, { type: 'call-connected', peer: 'bob' }, { type: 'stats', stats });
    const { lastFrame } = render(<MainScreen state={inCall} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('in-call · bob · 01:23');
    expect(frame).toContain('sent 120 · received 118 · lost 2 · dropped 1');
    expect(frame).toContain('in  [#####.....] -30 dB');
    expect(frame).toContain('out [..........] silent');
    expect(frame).toContain('in call with bob');
  });

  test('the call-who prompt with its reason', () => {
    const prompt = run(main, { type: 'prompt-open' }, { type: 'prompt-edit', value: 'b@d' }, { type: 'prompt-submit' });
    const { lastFrame } = render(<MainScreen state={prompt} />);
    expect(lastFrame()).toContain('Call who? b@d');
    expect(lastFrame()).toContain('may contain only letters');
  });

  test('directory lost during a call: a banner until the call ends', () => {
    const lost = run(main, { type: 'call-connected', peer: 'bob' }, { type: 'directory-lost', reason: 'closed' });
    const { lastFrame } = render(<MainScreen state={lost} />);
    expect(lastFrame()).toContain('lost the directory at 127.0.0.1:10000: closed: back to the connect form when this call ends');
  });

  test('after a call: how it ended', () => {
    const ended = run(main, { type: 'call-connected', peer: 'bob' }, { type: 'call-ended', peer: 'bob', reason: 'peer-silent' });
    const { lastFrame } = render(<MainScreen state={ended} />);
    expect(lastFrame()).toContain('last call: no audio from bob: call ended');
  });
});
