import { createManualClock } from '@voip/clock';
import { describe, expect, test } from 'vitest';
import { FakePhone, connectedEvent, endedEvent, failsWith, fakeCallFailure, fakeConnect, flush } from '../test/ui/fake-phone.js';
import type { CallHistory } from './history.js';
import type { ConnectRequest } from './phone-contract.js';
import { createPhoneDriver } from './phone-driver.js';
import type { HistoryEntry, PhoneEvent } from './phone-events.js';

const REQUEST: ConnectRequest = {
  server: '127.0.0.1:10000',
  name: 'alice',
  udpPort: 5001,
  audioIn: 'silence',
  audioOut: 'null',
  ringTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  secure: 'prefer',
};
const T0 = new Date('2024-05-01T12:00:00.000Z');

/** A history in memory that records what the driver adds. */
function memoryHistory(initial: HistoryEntry[] = [], warning?: string): CallHistory & { entries: HistoryEntry[] } {
  const store = {
    entries: [...initial],
    load: async () => ({ entries: [...store.entries], ...(warning !== undefined ? { warning } : {}) }),
    add: async (entry: HistoryEntry) => {
      store.entries = [entry, ...store.entries];
      return [...store.entries];
    },
  };
  return store;
}

async function setup(phone = new FakePhone(), history?: CallHistory) {
  const events: PhoneEvent[] = [];
  const clock = createManualClock();
  const driver = createPhoneDriver({
    connect: fakeConnect(phone),
    callFailure: fakeCallFailure,
    onEvent: (e) => events.push(e),
    clock,
    wallTime: () => T0,
    ...(history ? { history } : {}),
  });
  expect(await driver.connect(REQUEST)).toBe(true);
  await flush();
  const names = () => events.map((e) => e.event);
  const last = <N extends PhoneEvent['event']>(name: N) => events.filter((e): e is Extract<PhoneEvent, { event: N }> => e.event === name).at(-1);
  return { phone, driver, events, clock, names, last };
}

describe('phone driver', () => {
  test('a call that fails is reported once, by the phone ended event, with its sentence', async () => {
    const phone = new FakePhone();
    phone.onCall = failsWith(phone, 'rejected');
    const { driver, events } = await setup(phone);
    expect(await driver.call('bob')).toBe(true);
    expect(events.filter((e) => e.event === 'ended' || e.event === 'log')).toEqual([
      { event: 'ended', peer: 'bob', reason: 'rejected', direction: 'outgoing', message: 'bob declined the call (or is busy)', durationMs: 0 },
    ]);
  });

  test('a refusal is one log warning and no ended', async () => {
    const phone = new FakePhone();
    phone.onCall = () => Promise.reject(Object.assign(new Error('cannot call bob: the phone is ringing'), { code: 'busy' }));
    const { driver, events } = await setup(phone);
    expect(await driver.call('bob')).toBe(false);
    expect(events.filter((e) => e.event === 'ended' || e.event === 'log')).toEqual([
      { event: 'log', level: 'warn', message: 'cannot call bob now: finish the current call first' },
    ]);
  });

  test('peers are reported in their registered spelling', async () => {
    const phone = new FakePhone();
    phone.onlineUsers = [{ name: 'Bob Smith', ip: '127.0.0.1', port: 5002 }];
    const { events } = await setup(phone);
    phone.emit('incoming', { caller: 'BOB SMITH', ip: '127.0.0.1', port: 5002 });
    phone.emit('state', { state: 'ringing', peer: 'bob smith' });
    phone.emit('ended', endedEvent('bob SMITH', 'cancelled', { direction: 'incoming' }));
    expect(events.slice(-3)).toEqual([
      { event: 'incoming', caller: 'Bob Smith', ip: '127.0.0.1', port: 5002 },
      { event: 'state', state: 'ringing', peer: 'Bob Smith' },
      { event: 'ended', peer: 'Bob Smith', reason: 'cancelled', direction: 'incoming', message: 'missed call from Bob Smith', durationMs: 0 },
    ]);
  });

  test('mute, volume: the phone is told and an audio event says where it stands', async () => {
    const { driver, phone, events } = await setup();
    driver.toggleMuted();
    driver.changeVolume(150);
    driver.changeVolume(-30);
    driver.setVolume(-1);
    expect(phone.actions).toEqual(['mute', 'volume 200', 'volume 170']);
    expect(events.slice(-4)).toEqual([
      { event: 'audio', muted: true, volume: 100 },
      { event: 'audio', muted: true, volume: 200 },
      { event: 'audio', muted: true, volume: 170 },
      { event: 'log', level: 'warn', message: 'volume: -1 is not a whole percent from 0 to 200' },
    ]);
  });

  test('the history: loaded at start, added to after each call, missed incoming calls marked; self-calls are not kept', async () => {
    const old: HistoryEntry = { peer: 'carol', direction: 'outgoing', startedAt: '2024-04-30T10:00:00.000Z', durationMs: 5000, outcome: 'hangup', missed: false };
    const history = memoryHistory([old], 'the call history was corrupt');
    const phone = new FakePhone();
    const { events, driver, last } = await setup(phone, history);
    expect(events.filter((e) => e.event === 'history' || e.event === 'log')).toEqual([
      { event: 'log', level: 'warn', message: 'the call history was corrupt' },
      { event: 'history', entries: [old] },
    ]);
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('ended', endedEvent('bob', 'cancelled', { direction: 'incoming' }));
    await flush();
    phone.onCall = failsWith(phone, 'self-call');
    await driver.call('alice');
    await flush();
    expect(last('history')?.entries).toEqual([{ peer: 'bob', direction: 'incoming', startedAt: T0.toISOString(), durationMs: 0, outcome: 'cancelled', missed: true }, old]);
    expect(history.entries).toHaveLength(2);
  });

  test('directory lost while waiting for a name: the error, then the one ended of that attempt', async () => {
    const phone = new FakePhone();
    const { driver, names, last } = await setup(phone);
    void driver.call('bob', { waitOnlineMs: 10_000 });
    expect(driver.busy).toBe(true);
    phone.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: false });
    expect(names().slice(-3)).toEqual(['waiting', 'error', 'ended']);
    expect(last('ended')).toMatchObject({ reason: 'directory-lost', message: 'the call to bob was not placed: the directory connection is lost' });
    expect(driver.busy).toBe(false);
  });

  test('failover: disconnected and reconnected with their servers, no error; a wait for a name goes on', async () => {
    const phone = new FakePhone();
    const { driver, events, names } = await setup(phone);
    void driver.call('bob', { waitOnlineMs: 10_000 });
    phone.emit('disconnected', { reason: 'connection reset', server: '127.0.0.1:10000', reconnecting: true });
    phone.emit('reconnected', { server: '127.0.0.1:10001' });
    expect(names()).not.toContain('error');
    expect(events.filter((e) => e.event === 'disconnected' || e.event === 'reconnected')).toEqual([
      { event: 'disconnected', server: '127.0.0.1:10000', reason: 'connection reset' },
      { event: 'reconnected', server: '127.0.0.1:10001' },
    ]);
    expect(driver.busy).toBe(true);
    phone.emit('users', [{ name: 'bob', ip: '127.0.0.2', port: 5002 }]);
    expect(phone.calls).toEqual(['bob']);
  });

  test('hang up while waiting ends the attempt as cancelled', async () => {
    const { driver, phone, last } = await setup();
    const placed = driver.call('bob', { waitOnlineMs: 10_000 });
    driver.hangup();
    expect(await placed).toBe(true);
    expect(last('ended')).toMatchObject({ peer: 'bob', reason: 'cancelled', message: 'you cancelled the call to bob' });
    expect(phone.actions).toEqual([]);
  });

  test('close: hangs up, still reports the ended of the call, saves it, then lets go of the phone', async () => {
    const history = memoryHistory();
    const phone = new FakePhone();
    const { driver, last } = await setup(phone, history);
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.1', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.close = async () => {
      phone.actions.push('close');
      phone.emit('ended', endedEvent('bob', 'hangup', { direction: 'incoming', durationMs: 1200 }));
      phone.emit('disconnected', { reason: 'closed by us', server: '127.0.0.1:10000', reconnecting: false });
    };
    await driver.close();
    expect(phone.actions).toEqual(['hangup', 'close']);
    expect(last('ended')).toMatchObject({ reason: 'hangup', message: 'you hung up the call with bob', durationMs: 1200 });
    expect(last('error')).toBeUndefined();
    expect(history.entries).toMatchObject([{ peer: 'bob', durationMs: 1200, outcome: 'hangup', missed: false }]);
    expect(phone.listeners()).toBe(0);
  });

  test('a connect failure is one error event with the failure sentence', async () => {
    const events: PhoneEvent[] = [];
    const driver = createPhoneDriver({
      connect: fakeConnect({ ok: false, code: 'name-refused', detail: 'the directory refused the name "alice": name already taken' }),
      callFailure: fakeCallFailure,
      onEvent: (e) => events.push(e),
    });
    expect(await driver.connect(REQUEST)).toBe(false);
    expect(events).toEqual([{ event: 'error', code: 'name-refused', message: 'the directory refused the name "alice": name already taken' }]);
  });

  test('closed while connecting: the phone is closed, nothing is reported', async () => {
    const phone = new FakePhone();
    const events: PhoneEvent[] = [];
    const driver = createPhoneDriver({ connect: fakeConnect(phone), callFailure: fakeCallFailure, onEvent: (e) => events.push(e) });
    const connecting = driver.connect(REQUEST);
    await driver.close();
    expect(await connecting).toBe(false);
    expect(phone.closed).toBe(true);
    expect(events).toEqual([]);
  });
});
