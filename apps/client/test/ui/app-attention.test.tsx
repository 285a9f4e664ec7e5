/**
 * The App on the phone driver: the terminal bell while a call rings, the ring tone
 * asked for device output, the history shown from the driver's events, mute and
 * volume keys carried out.
 */
import { createManualClock } from '@voip/clock';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { parseCli, type CliOptions } from '../../src/cli-args.js';
import type { CallHistory } from '../../src/history.js';
import { App, BELL_INTERVAL_MS } from '../../src/ui/App.js';
import { FakePhone, connectedEvent, endedEvent, fakeCallFailure, fakeConnect } from './fake-phone.js';

afterEach(() => cleanup());

function options(audioOut: string): CliOptions {
  const parsed = parseCli(['--server', '127.0.0.1:10000', '--name', 'alice', '--audio-in', 'silence', '--audio-out', audioOut]);
  if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
  return parsed.options;
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never: ${what}`);
}

function mount(phone: FakePhone, audioOut = 'null', history?: CallHistory) {
  const connect = fakeConnect(phone);
  const clock = createManualClock();
  let rings = 0;
  const app = render(
    <App
      options={options(audioOut)}
      connect={connect}
      callFailure={fakeCallFailure}
      onExit={() => undefined}
      clock={clock}
      bell={() => rings++}
      {...(history ? { history } : {})}
    />,
  );
  return { ...app, connect, clock, rings: () => rings };
}

describe('App attention', () => {
  test('an incoming call rings the bell at once and every few seconds until it is answered', async () => {
    const phone = new FakePhone();
    const { lastFrame, clock, rings, stdin } = mount(phone);
    await until(() => (lastFrame() ?? '').includes('Users online'), 'registered');
    expect(rings()).toBe(0);
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    await until(() => rings() === 1, 'the first ring');
    clock.advance(BELL_INTERVAL_MS);
    clock.advance(BELL_INTERVAL_MS);
    expect(rings()).toBe(3);
    stdin.write('a');
    await until(() => phone.actions.includes('accept'), 'accept');
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    await until(() => (lastFrame() ?? '').includes('in-call'), 'in call');
    clock.advance(10 * BELL_INTERVAL_MS);
    expect(rings()).toBe(3);
  });

  test('a caller who gives up stops the bell', async () => {
    const phone = new FakePhone();
    const { lastFrame, clock, rings } = mount(phone);
    await until(() => (lastFrame() ?? '').includes('Users online'), 'registered');
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    await until(() => rings() === 1, 'the first ring');
    phone.emit('state', { state: 'idle' });
    phone.emit('ended', endedEvent('bob', 'cancelled', { direction: 'incoming' }));
    await until(() => (lastFrame() ?? '').includes('missed call from bob'), 'missed call');
    clock.advance(10 * BELL_INTERVAL_MS);
    expect(rings()).toBe(1);
  });

  test.each([
    ['device', true],
    ['null', false],
  ])('audio out %s: ring tone %s', async (audioOut, ringtone) => {
    const { connect } = mount(new FakePhone(), audioOut);
    await until(() => connect.requests.length === 1, 'connect');
    expect(connect.requests[0]?.ringtone).toBe(ringtone);
  });

  test('m and + carry out mute and volume on the phone', async () => {
    const phone = new FakePhone();
    const { lastFrame, stdin } = mount(phone);
    await until(() => (lastFrame() ?? '').includes('Users online'), 'registered');
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    await until(() => (lastFrame() ?? '').includes('in-call'), 'in call');
    stdin.write('m');
    await until(() => phone.actions.includes('mute'), 'mute');
    stdin.write('+');
    await until(() => phone.actions.includes('volume 110'), 'volume');
  });

  test('the history the driver loads reaches the screen', async () => {
    const history: CallHistory = {
      load: async () => ({ entries: [{ peer: 'carol', direction: 'incoming', startedAt: '2024-05-01T12:00:00.000Z', durationMs: 0, outcome: 'cancelled', missed: true }] }),
      add: async () => [],
    };
    const phone = new FakePhone();
    const { lastFrame, stdin } = mount(phone, 'null', history);
    await until(() => (lastFrame() ?? '').includes('Users online'), 'registered');
    stdin.write('l');
    await until(() => (lastFrame() ?? '').includes('carol'), 'the history view lists carol');
  });
});
