import { describe, expect, test } from 'vitest';
import { FakePhone, connectedEvent, endedEvent, flush, v2Stats } from './fake-phone.js';
import { connectedCall, start } from './headless-harness.js';

const time = '2024-05-01T12:00:00.000Z';

describe('headless runner: encrypted and classic calls', () => {
  test('a v2 call: the connected line says v2, secure, and the SAS; stats lines carry the v2 figures', async () => {
    const phone = new FakePhone();
    const { stdout } = start(phone, ['--auto-answer']);
    await flush();
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', { sas: 'K7QX' }));
    phone.emit('stats', v2Stats());
    const [connected, stats] = stdout.events().slice(-2);
    expect(connected).toEqual({ event: 'connected', time, peer: 'bob', protocol: 'v2', secure: true, sas: 'K7QX' });
    expect(stats).toEqual({
      event: 'stats',
      time,
      packetsSent: 250,
      packetsReceived: 246,
      packetsLost: 4,
      packetsDropped: 3,
      inputLevelDbfs: -12.35,
      outputLevelDbfs: -20,
      durationMs: 5000,
      packetsRejected: 2,
      packetsReplayed: 1,
      packetsLate: 1,
      packetsConcealed: 4,
      jitterMs: 3.1,
      playoutDelayMs: 40,
    });
  });

  test('a classic call: protocol classic, not secure, sas null', async () => {
    const phone = new FakePhone();
    const { stdout } = start(phone, ['--auto-answer']);
    await flush();
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    expect(stdout.events().at(-1)).toEqual({ event: 'connected', time, peer: 'bob', protocol: 'classic', secure: false, sas: null });
  });

  test('without --require-secure the phone is asked to prefer encryption', async () => {
    const { connect } = start(new FakePhone());
    await flush();
    expect(connect.requests[0]?.secure).toBe('prefer');
  });

  test('--require-secure: the phone is asked to require it; a classic peer is refused with the sentence; exit 1', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'bob', ip: '127.0.0.1', port: 5002 }];
    phone.onCall = connectedCall;
    const { connect, run, stdout } = start(phone, ['--require-secure', '--call', 'bob', '--exit-after-call']);
    await flush();
    expect(connect.requests[0]?.secure).toBe('require');
    phone.emit('ended', endedEvent('bob', 'not-secure'));
    expect(await run.exitCode).toBe(1);
    expect(stdout.events().at(-1)).toEqual({
      event: 'ended',
      time,
      peer: 'bob',
      reason: 'not-secure',
      direction: 'outgoing',
      message: "bob's client cannot encrypt calls: call not placed (--require-secure)",
      durationMs: 0,
    });
  });
});
