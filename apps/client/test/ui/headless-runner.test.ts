import { describe, expect, test } from 'vitest';
import { startHeadless } from '../../src/headless-runner.js';
import { createManualClock } from '@voip/clock';
import { Collect, FakePhone, connectedEvent, endedEvent, failsWith, fakeCallFailure, fakeConnect, flush } from './fake-phone.js';
import { connectedCall, options, start } from './headless-harness.js';

describe('headless runner', () => {
  test('registers, lists users, and passes the request through', async () => {
    const phone = new FakePhone();
    phone.userList = [{ name: 'bob', ip: '127.0.0.1', port: 5002 }];
    const { stdout, connect } = start(phone);
    await flush();
    expect(connect.requests).toEqual([
      { server: '127.0.0.1:10000', name: 'alice', udpPort: 5001, audioIn: 'silence', audioOut: 'null', ringTimeoutMs: 30_000, silenceTimeoutMs: 5_000, secure: 'prefer' },
    ]);
    expect(stdout.events()).toEqual([
      { event: 'registered', time: '2024-05-01T12:00:00.000Z', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true },
      { event: 'users', time: '2024-05-01T12:00:00.000Z', users: [{ name: 'bob', ip: '127.0.0.1', port: 5002 }] },
    ]);
  });

  test('a classic server: no users event, a log line instead', async () => {
    const phone = new FakePhone();
    phone.listSupported = false;
    const { stdout } = start(phone);
    await flush();
    expect(stdout.events().map((e) => [e.event, e.listSupported ?? e.level])).toEqual([
      ['registered', false],
      ['log', 'info'],
    ]);
  });

  test('every phone event becomes a JSON line; stdout holds only JSON', async () => {
    const phone = new FakePhone();
    const { names, stdout, stderr } = start(phone, ['--auto-answer']);
    await flush();
    phone.emit('incoming', { caller: 'carol', ip: '127.0.0.1', port: 5003 });
    expect(phone.actions).toEqual(['accept']);
    phone.emit('connected', connectedEvent('carol', 'classic'));
    const extra = { framesConcealed: 1 };
    phone.emit('stats', {
      packetsSent: 3,
      packetsReceived: 2,
      packetsLost: 1,
      packetsDropped: 0,
      inputLevelDbfs: -3.14159,
      outputLevelDbfs: -Infinity,
      durationMs: 1000.4,
      packetsRejected: 0,
      packetsReplayed: 0,
      packetsLate: 0,
      packetsConcealed: 0,
      jitterMs: 0,
      playoutDelayMs: 0,
      ...extra,
    });
    phone.emit('log', { level: 'warn', message: 'late packet' });
    phone.emit('state', { state: 'idle' });
    phone.emit('ended', endedEvent('carol', 'remote-hangup', { direction: 'incoming', durationMs: 1000.4 }));
    expect(names()).toEqual(['registered', 'users', 'incoming', 'connected', 'stats', 'log', 'ended']);
    expect(stdout.events()[2]).toMatchObject({ caller: 'carol' });
    expect(stdout.events().at(-1)).toEqual({
      event: 'ended',
      time: '2024-05-01T12:00:00.000Z',
      peer: 'carol',
      reason: 'remote-hangup',
      direction: 'incoming',
      message: 'carol hung up',
      durationMs: 1000,
    });
    const stats = stdout.events()[4];
    expect(stats).toEqual({
      event: 'stats',
      time: '2024-05-01T12:00:00.000Z',
      packetsSent: 3,
      packetsReceived: 2,
      packetsLost: 1,
      packetsDropped: 0,
      inputLevelDbfs: -3.14,
      outputLevelDbfs: null,
      durationMs: 1000,
      packetsRejected: 0,
      packetsReplayed: 0,
      packetsLate: 0,
      packetsConcealed: 0,
      jitterMs: 0,
      playoutDelayMs: 0,
    });
    expect(stderr.text).toBe('');
  });

  test('without --auto-answer an incoming call waits for a command', async () => {
    const phone = new FakePhone();
    const { run } = start(phone);
    await flush();
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    expect(phone.actions).toEqual([]);
    run.command('reject');
    run.command('accept');
    run.command('hangup');
    expect(phone.actions).toEqual(['reject', 'accept', 'hangup']);
  });

  test('--call with --hangup-after and --exit-after-call exits 0 after a connected call', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'bob', ip: '127.0.0.1', port: 5002 }];
    phone.onCall = connectedCall;
    const { run, scheduler, names, stdout } = start(phone, ['--call', 'bob', '--hangup-after', '2', '--exit-after-call']);
    await flush();
    expect(phone.calls).toEqual(['bob']);
    phone.emit('calling', { peer: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    await scheduler.advanceAsync(1999);
    expect(phone.actions).toEqual([]);
    await scheduler.advanceAsync(1);
    expect(phone.actions).toEqual(['hangup']);
    phone.emit('ended', endedEvent('bob', 'hangup', { durationMs: 2000 }));
    expect(await run.exitCode).toBe(0);
    expect(phone.closed).toBe(true);
    expect(names()).toEqual(['registered', 'users', 'calling', 'connected', 'ended']);
    expect(stdout.events()[3]).toMatchObject({ event: 'connected', peer: 'bob' });
  });

  test('--exit-after-call exits 1 when the call was rejected', async () => {
    const phone = new FakePhone();
    phone.listSupported = false;
    phone.onCall = failsWith(phone, 'rejected');
    const { run, scheduler, names, stdout } = start(phone, ['--call', 'bob', '--exit-after-call']);
    await scheduler.advanceAsync(0);
    expect(await run.exitCode).toBe(1);
    expect(names()).toEqual(['registered', 'log', 'ended']);
    expect(stdout.events().at(-1)).toMatchObject({ reason: 'rejected', direction: 'outgoing', message: 'bob declined the call (or is busy)' });
  });

  test('a failed call is reported once: the ended of the phone, not the rejection again', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'alice', ip: '127.0.0.1', port: 5001 }];
    phone.onCall = failsWith(phone, 'self-call', 'one cannot call oneself');
    const { scheduler, stdout } = start(phone, ['--call', 'alice']);
    await scheduler.advanceAsync(0);
    expect(stdout.events().filter((e) => e.event === 'ended' || e.event === 'log')).toEqual([
      {
        event: 'ended',
        time: '2024-05-01T12:00:00.000Z',
        peer: 'alice',
        reason: 'self-call',
        direction: 'outgoing',
        message: 'you cannot call yourself',
        durationMs: 0,
        detail: 'one cannot call oneself',
      },
    ]);
  });

  test('--call on a classic server looks a name up again, silently, with one waiting event, then calls it', async () => {
    const phone = new FakePhone();
    phone.listSupported = false;
    let online = false;
    const notFound = failsWith(phone, 'not-found');
    phone.onCall = (name) => (online ? Promise.resolve() : notFound(name));
    const { scheduler, names, stdout } = start(phone, ['--call', 'bob']);
    await scheduler.advanceAsync(0);
    await scheduler.advanceAsync(1600);
    expect(phone.calls.length).toBe(4);
    online = true;
    await scheduler.advanceAsync(500);
    expect(phone.calls.length).toBe(5);
    phone.emit('connected', connectedEvent('bob', 'classic'));
    expect(names()).toEqual(['registered', 'log', 'waiting', 'connected']);
    expect(stdout.events()[2]).toMatchObject({ peer: 'bob', timeoutMs: 10_000 });
  });

  test('--call with presence: one waiting event, and the call as soon as the name is online, in its registered spelling', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'alice', ip: '127.0.0.1', port: 5001 }];
    phone.onCall = connectedCall;
    const { scheduler, names, stdout } = start(phone, ['--call', 'bob']);
    await scheduler.advanceAsync(3000);
    expect(phone.calls).toEqual([]);
    phone.emit('users', [
      { name: 'alice', ip: '127.0.0.1', port: 5001 },
      { name: 'Bob', ip: '127.0.0.1', port: 5002 },
    ]);
    expect(phone.calls).toEqual(['bob']);
    phone.emit('calling', { peer: 'bob', ip: '127.0.0.1', port: 5002 });
    await scheduler.advanceAsync(20_000);
    expect(names()).toEqual(['registered', 'users', 'waiting', 'users', 'calling']);
    expect(stdout.events().at(-1)).toMatchObject({ peer: 'Bob' });
  });

  test('--call with presence: a name online at registration (any spelling) is called at once, no waiting event', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'Bob', ip: '127.0.0.1', port: 5002 }];
    phone.onCall = connectedCall;
    const { scheduler, names } = start(phone, ['--call', 'BOB']);
    await scheduler.advanceAsync(0);
    expect(phone.calls).toEqual(['BOB']);
    expect(names()).toEqual(['registered', 'users']);
  });

  test('--call with presence gives up after 10 s with one ended not-found; exit 1', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'alice', ip: '127.0.0.1', port: 5001 }];
    const { run, scheduler, stdout } = start(phone, ['--call', 'bob', '--exit-after-call']);
    await scheduler.advanceAsync(9999);
    expect(stdout.events().some((e) => e.event === 'ended')).toBe(false);
    await scheduler.advanceAsync(1);
    expect(phone.calls).toEqual([]);
    expect(stdout.events().filter((e) => e.event === 'ended')).toMatchObject([{ peer: 'bob', reason: 'not-found', message: 'bob did not come online within 10 s' }]);
    expect(await run.exitCode).toBe(1);
  });

  test('--call on a classic server gives up after 10 s with one ended not-found', async () => {
    const phone = new FakePhone();
    phone.listSupported = false;
    phone.onCall = failsWith(phone, 'not-found');
    const { run, scheduler, stdout } = start(phone, ['--call', 'bob', '--exit-after-call']);
    await scheduler.advanceAsync(9000);
    expect(stdout.events().some((e) => e.event === 'ended')).toBe(false);
    await scheduler.advanceAsync(2000);
    expect(phone.calls.length).toBe(21); // t = 0, 0.5, ... 10 s
    const ended = stdout.events().filter((e) => e.event === 'ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ peer: 'bob', reason: 'not-found', message: 'bob did not come online within 10 s' });
    expect(stdout.events().filter((e) => e.event === 'waiting')).toHaveLength(1);
    expect(await run.exitCode).toBe(1);
  });

  test('stdin commands: call, unknown, bad name, quit', async () => {
    const phone = new FakePhone();
    const { run, stdout } = start(phone);
    run.command('call Bob Smith'); // before registration: queued
    await flush();
    expect(phone.calls).toEqual(['Bob Smith']);
    run.command('');
    run.command('dance');
    run.command('call b@d');
    run.command('hangup now');
    const warns = stdout.events().filter((e) => e.event === 'log' && e.level === 'warn');
    expect(warns).toHaveLength(3);
    run.command('quit');
    expect(await run.exitCode).toBe(0);
    expect(phone.actions).toEqual(['hangup', 'close']);
  });

  test('stop() during a call still writes the ended of the hang-up', async () => {
    const phone = new FakePhone();
    const { run, names } = start(phone);
    await flush();
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.close = () => {
      phone.actions.push('close');
      phone.emit('ended', endedEvent('bob', 'hangup', { durationMs: 500 }));
      phone.emit('disconnected', { reason: 'closed by us', server: '127.0.0.1:10000', reconnecting: false });
      return Promise.resolve();
    };
    run.stop();
    expect(await run.exitCode).toBe(0);
    expect(names()).toEqual(['registered', 'users', 'connected', 'ended']);
  });

  test('stop() (SIGINT) hangs up, closes and exits 0', async () => {
    const phone = new FakePhone();
    const { run } = start(phone);
    await flush();
    run.stop();
    expect(await run.exitCode).toBe(0);
    expect(phone.actions).toEqual(['hangup', 'close']);
    expect(phone.listeners()).toBe(0);
  });

  test('directory lost while idle: error event, exit 2', async () => {
    const phone = new FakePhone();
    const { run, stdout, stderr } = start(phone);
    await flush();
    phone.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: false });
    expect(await run.exitCode).toBe(2);
    expect(stdout.events().at(-1)).toMatchObject({ event: 'error', code: 'directory-lost' });
    expect(stderr.text).toContain('127.0.0.1:10000');
  });

  test('failover: disconnected and reconnected are JSON lines, and the client stays', async () => {
    const phone = new FakePhone();
    const { run, stdout } = start(phone);
    await flush();
    phone.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: true });
    phone.emit('reconnected', { server: '127.0.0.1:10001' });
    let code: number | undefined;
    void run.exitCode.then((c) => (code = c));
    await flush();
    expect(code).toBeUndefined();
    expect(stdout.events().slice(-2)).toEqual([
      { event: 'disconnected', time: expect.any(String), server: '127.0.0.1:10000', reason: 'connection reset' },
      { event: 'reconnected', time: expect.any(String), server: '127.0.0.1:10001' },
    ]);
    run.stop();
    expect(await run.exitCode).toBe(0);
  });

  test('directory lost during a call: exit 2 only once the call ends', async () => {
    const phone = new FakePhone();
    const { run, names } = start(phone);
    await flush();
    phone.emit('state', { state: 'in-call', peer: 'bob' });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('disconnected', { reason: 'closed', server: '127.0.0.1:10000', reconnecting: false });
    let code: number | undefined;
    void run.exitCode.then((c) => (code = c));
    await flush();
    expect(code).toBeUndefined();
    phone.emit('state', { state: 'idle' });
    phone.emit('ended', endedEvent('bob', 'remote-hangup', { durationMs: 500 }));
    expect(await run.exitCode).toBe(2);
    expect(names()).toEqual(['registered', 'users', 'connected', 'error', 'ended']);
  });

  test('a connect failure: error event, message on stderr, exit 2', async () => {
    const stdout = new Collect();
    const stderr = new Collect();
    const run = startHeadless({
      options: options(),
      connect: fakeConnect({ ok: false, code: 'udp-port-in-use', detail: 'UDP port 5001 is already in use: is another client running? try --udp-port' }),
      callFailure: fakeCallFailure,
      stdout,
      stderr,
      scheduler: createManualClock(),
    });
    expect(await run.exitCode).toBe(2);
    expect(stdout.events()).toMatchObject([{ event: 'error', code: 'udp-port-in-use' }]);
    expect(stderr.text).toContain('try --udp-port');
  });

  test('a connect rejection is a bug: exitCode rejects', async () => {
    const run = startHeadless({
      options: options(),
      connect: () => Promise.reject(new Error('boom')),
      callFailure: fakeCallFailure,
      stdout: new Collect(),
      stderr: new Collect(),
      scheduler: createManualClock(),
    });
    await expect(run.exitCode).rejects.toThrow('boom');
  });
});
