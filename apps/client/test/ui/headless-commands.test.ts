import { describe, expect, test } from 'vitest';
import { FakePhone, connectedEvent, endedEvent, flush } from './fake-phone.js';
import { start } from './headless-harness.js';

describe('headless runner refusals', () => {
  test('accept with nothing ringing is a warning, not a crash', async () => {
    const phone = new FakePhone();
    phone.nothingRings = true;
    const { run, stdout } = start(phone);
    await flush();
    run.command('accept');
    expect(stdout.events().at(-1)).toMatchObject({ event: 'log', level: 'warn', message: 'accept: nothing rings' });
  });

  test('a call the phone refuses is one warning; a refused --call with --exit-after-call exits 1', async () => {
    const phone = new FakePhone();
    phone.onCall = () => Promise.reject(Object.assign(new Error('cannot call bob: the phone is ringing'), { code: 'busy' }));
    const { run, scheduler, stdout } = start(phone, ['--call', 'alice', '--exit-after-call']);
    await scheduler.advanceAsync(0);
    expect(stdout.events().filter((e) => e.event !== 'registered' && e.event !== 'users')).toMatchObject([
      { event: 'log', level: 'warn', message: 'cannot call alice now: finish the current call first' },
    ]);
    expect(await run.exitCode).toBe(1);

    const closed = new FakePhone();
    closed.onCall = () => Promise.reject(Object.assign(new Error('the phone is closed'), { code: 'not-connected' }));
    const second = start(closed);
    await flush();
    second.run.command('call bob');
    await second.scheduler.advanceAsync(0);
    expect(second.stdout.events().at(-1)).toEqual({
      event: 'log',
      time: '2024-05-01T12:00:00.000Z',
      level: 'warn',
      message: 'cannot call bob: the directory connection is closed',
    });
    expect(second.names().filter((n) => n === 'ended' || n === 'log')).toEqual(['log']);
    second.run.stop();
  });

  test('mute, unmute and volume N: audio events; a bad volume is a warning', async () => {
    const phone = new FakePhone();
    const { run, stdout } = start(phone);
    await flush();
    run.command('mute');
    run.command('volume 150');
    run.command('unmute');
    run.command('volume 201');
    run.command('volume loud');
    run.command('mute now');
    expect(phone.actions).toEqual(['mute', 'volume 150', 'unmute']);
    expect(
      stdout
        .events()
        .slice(2)
        .map(({ time: _t, ...e }) => e),
    ).toEqual([
      { event: 'audio', muted: true, volume: 100 },
      { event: 'audio', muted: true, volume: 150 },
      { event: 'audio', muted: false, volume: 150 },
      { event: 'log', level: 'warn', message: 'volume: 201 is not a whole percent from 0 to 200' },
      { event: 'log', level: 'warn', message: 'volume takes a number from 0 to 200, e.g. volume 80' },
      { event: 'log', level: 'warn', message: 'mute takes no argument' },
    ]);
    run.stop();
  });

  test('ended carries the duration and the final stats of the call', async () => {
    const phone = new FakePhone();
    const { stdout } = start(phone);
    await flush();
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    const stats = {
      packetsSent: 40,
      packetsReceived: 39,
      packetsLost: 1,
      packetsDropped: 3,
      inputLevelDbfs: -12.346,
      outputLevelDbfs: -Infinity,
      durationMs: 2560.2,
      packetsRejected: 0,
      packetsReplayed: 0,
      packetsLate: 0,
      packetsConcealed: 0,
      jitterMs: 0,
      playoutDelayMs: 0,
    };
    phone.emit('ended', endedEvent('bob', 'remote-hangup', { direction: 'incoming', durationMs: 2560.2, stats }));
    expect(stdout.events().at(-1)).toMatchObject({
      event: 'ended',
      reason: 'remote-hangup',
      direction: 'incoming',
      durationMs: 2560,
      stats: { packetsSent: 40, packetsReceived: 39, packetsLost: 1, packetsDropped: 3, inputLevelDbfs: -12.35, outputLevelDbfs: null, durationMs: 2560 },
    });
  });
});
