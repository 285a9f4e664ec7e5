import { describe, expect, test } from 'vitest';
import { FakePhone, connectedEvent, endedEvent, fakeCallFailure, fakeConnect, flush, v2Stats } from '../test/ui/fake-phone.js';
import type { CallHistory } from './history.js';
import type { ConnectRequest, SecureMode } from './phone-contract.js';
import { createPhoneDriver } from './phone-driver.js';
import type { HistoryEntry, PhoneEvent } from './phone-events.js';

const request = (secure: SecureMode): ConnectRequest => ({
  server: '127.0.0.1:10000',
  name: 'alice',
  udpPort: 5001,
  audioIn: 'silence',
  audioOut: 'null',
  ringTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  secure,
});

async function setup(secure: SecureMode = 'prefer') {
  const phone = new FakePhone();
  phone.onlineUsers = [{ name: 'Bob', ip: '127.0.0.2', port: 5002 }];
  const events: PhoneEvent[] = [];
  const kept: HistoryEntry[] = [];
  const history: CallHistory = {
    load: async () => ({ entries: [] }),
    add: async (entry) => {
      kept.unshift(entry);
      return [...kept];
    },
  };
  const connect = fakeConnect(phone);
  const driver = createPhoneDriver({ connect, callFailure: fakeCallFailure, onEvent: (e) => events.push(e), history, wallTime: () => new Date('2024-05-01T12:00:00.000Z') });
  expect(await driver.connect(request(secure))).toBe(true);
  const of = <N extends PhoneEvent['event']>(name: N) => events.filter((e): e is Extract<PhoneEvent, { event: N }> => e.event === name);
  return { phone, driver, events, kept, connect, of };
}

describe('phone driver: encrypted and classic calls', () => {
  test('the connect request carries the secure mode', async () => {
    expect((await setup('require')).connect.requests[0]?.secure).toBe('require');
    expect((await setup('prefer')).connect.requests[0]?.secure).toBe('prefer');
  });

  test('a v2 call: connected says v2, encrypted, with its SAS; stats carry the v2 figures; the history keeps it as encrypted', async () => {
    const { phone, driver, of, kept } = await setup();
    void driver.call('bob');
    phone.emit('connected', connectedEvent('bob', { sas: 'K7QX' }));
    phone.emit('stats', v2Stats());
    phone.emit('ended', endedEvent('bob', 'hangup', { durationMs: 5000, stats: v2Stats() }));
    await flush();
    expect(of('connected')).toEqual([{ event: 'connected', peer: 'Bob', protocol: 'v2', secure: true, sas: 'K7QX' }]);
    expect(of('stats')).toEqual([{ event: 'stats', ...v2Stats() }]);
    expect(kept).toEqual([{ peer: 'Bob', direction: 'outgoing', startedAt: '2024-05-01T12:00:00.000Z', durationMs: 5000, outcome: 'hangup', missed: false, secure: true }]);
  });

  test('a classic call: not encrypted, no SAS; the history keeps it as not encrypted', async () => {
    const { phone, of, kept } = await setup();
    phone.emit('incoming', { caller: 'bob', ip: '127.0.0.2', port: 5002 });
    phone.emit('connected', connectedEvent('bob', 'classic'));
    phone.emit('ended', endedEvent('bob', 'remote-hangup', { direction: 'incoming', durationMs: 1000 }));
    await flush();
    expect(of('connected')).toEqual([{ event: 'connected', peer: 'Bob', protocol: 'classic', secure: false, sas: null }]);
    expect(kept[0]?.secure).toBe(false);
  });

  test('a call that never connected is kept without saying whether it was encrypted', async () => {
    const { phone, driver, kept } = await setup();
    void driver.call('bob');
    phone.emit('ended', endedEvent('bob', 'rejected'));
    await flush();
    expect(kept).toHaveLength(1);
    expect(kept[0]).not.toHaveProperty('secure');
  });

  test.each<['outgoing' | 'incoming', string]>([
    ['outgoing', "Bob's client cannot encrypt calls: call not placed (--require-secure)"],
    ['incoming', 'refused an unencrypted call from Bob (--require-secure)'],
  ])('the phone refuses a classic call (%s): ended not-secure with the sentence that names the flag', async (direction, message) => {
    const { phone, of } = await setup('require');
    phone.emit('ended', endedEvent('bob', 'not-secure', { direction, detail: 'peer is classic' }));
    expect(of('ended')).toEqual([{ event: 'ended', peer: 'Bob', reason: 'not-secure', direction, message, durationMs: 0, detail: 'peer is classic' }]);
    expect(of('ended')[0]?.message).not.toContain('peer is classic');
  });

  test('require: an encrypted call goes ahead', async () => {
    const { phone, of } = await setup('require');
    phone.emit('connected', connectedEvent('bob', { sas: 'K7QX' }));
    expect(phone.actions).toEqual([]);
    expect(of('connected')).toHaveLength(1);
  });
});
