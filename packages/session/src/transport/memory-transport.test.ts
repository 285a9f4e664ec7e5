// Tests of the in-memory network and its faults.
import { createManualClock } from '@voip/clock';
import { afterEach, describe, expect, test } from 'vitest';
import { createMemoryNetwork, type FaultAction } from './memory-transport.js';
import type { Transport } from './transport.js';

const open: Transport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

function setup(rule?: (index: number) => FaultAction) {
  const clock = createManualClock();
  const network = createMemoryNetwork({ clock, latencyMs: 2 });
  if (rule) network.setFault((f) => rule(f.index));
  const a = network.bind(1000);
  const b = network.bind(2000);
  open.push(a, b);
  const got: number[] = [];
  b.onMessage((bytes, from) => {
    expect(from).toEqual(a.local);
    got.push(bytes[0]!);
  });
  const send = (n: number) => a.send(Uint8Array.of(n), b.local);
  return { clock, network, a, b, got, send };
}

describe('in-memory network', () => {
  test('delivers after the latency, in order', () => {
    const { clock, got, send } = setup();
    send(1);
    send(2);
    clock.advance(1);
    expect(got).toEqual([]);
    clock.advance(1);
    expect(got).toEqual([1, 2]);
  });

  test.each([
    ['drop', [2]],
    ['duplicate', [1, 1, 2]],
  ] as const)('%s the first datagram', (action, expected) => {
    const { clock, got, send } = setup((i) => (i === 0 ? action : 'deliver'));
    send(1);
    send(2);
    clock.advance(5);
    expect(got).toEqual(expected);
  });

  test('a delay reorders', () => {
    const { clock, got, send } = setup((i) => (i === 0 ? { delayMs: 10 } : 'deliver'));
    send(1);
    send(2);
    clock.advance(20);
    expect(got).toEqual([2, 1]);
  });

  test('refuses a second bind of the same address; nothing reaches a closed endpoint', async () => {
    const { clock, network, b, got, send } = setup();
    expect(() => network.bind(2000)).toThrow();
    send(1);
    await b.close();
    clock.advance(5);
    expect(got).toEqual([]);
    expect(network.sent).toHaveLength(1);
  });
});
