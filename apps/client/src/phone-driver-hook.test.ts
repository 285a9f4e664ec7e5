import { describe, expect, test } from 'vitest';
import { FakePhone, fakeCallFailure, fakeConnect, flush } from '../test/ui/fake-phone.js';
import type { ConnectRequest } from './phone-contract.js';
import { createDriverSlot } from './phone-driver-hook.js';
import type { PhoneEvent } from './phone-events.js';

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

describe('driver slot', () => {
  test('a new connect closes the previous phone first', async () => {
    const phones = [new FakePhone(), new FakePhone()];
    const order: string[] = [];
    phones[0]!.close = async () => void order.push('close 1');
    let next = 0;
    const events: PhoneEvent[] = [];
    const connect = async () => {
      order.push(`connect ${next + 1}`);
      return { ok: true as const, value: phones[next++]! };
    };
    const slot = createDriverSlot(() => ({ connect, callFailure: fakeCallFailure, onEvent: (e) => events.push(e) }));
    expect(await slot.connect(REQUEST)).toBe(true);
    expect(await slot.connect(REQUEST)).toBe(true);
    expect(order).toEqual(['connect 1', 'close 1', 'connect 2']);
    expect(events.filter((e) => e.event === 'registered')).toHaveLength(2);
  });

  test('a release while connecting leaves no phone open', async () => {
    const phone = new FakePhone();
    const connect = fakeConnect(phone);
    const slot = createDriverSlot(() => ({ connect, callFailure: fakeCallFailure, onEvent: () => undefined }));
    const connecting = slot.connect(REQUEST);
    const released = slot.release();
    await released;
    await flush();
    expect(await connecting).toBe(false);
    expect(slot.current).toBeUndefined();
    expect(connect.requests).toEqual([]);
  });
});
