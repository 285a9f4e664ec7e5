// The pure reconnection timing of the phone directory: backoff and each phone its own spread.
import { describe, expect, test } from 'vitest';
import { RECONNECT_FIRST_MS, RECONNECT_MAX_MS, reconnectDelayMs, reconnectSpreadMs } from './phone-directory.js';

describe('reconnection delays', () => {
  test('250 ms, doubling, up to 10 s, never zero', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => reconnectDelayMs(n))).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(reconnectDelayMs(0, 17)).toBe(RECONNECT_FIRST_MS + 17);
    expect(reconnectDelayMs(99, 17)).toBe(RECONNECT_MAX_MS + 17);
  });

  test('the spread is a phone own, from its name (case-insensitive), and spreads many names over 0-249 ms', () => {
    expect(reconnectSpreadMs('alice')).toBe(reconnectSpreadMs('Alice'));
    const spreads = Array.from({ length: 1000 }, (_, i) => reconnectSpreadMs(`user${i}`));
    expect(Math.min(...spreads)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...spreads)).toBeLessThan(RECONNECT_FIRST_MS);
    // Spread out: no 10 ms slot holds more than a tenth of the names.
    const slots = new Map<number, number>();
    for (const s of spreads) slots.set(Math.floor(s / 10), (slots.get(Math.floor(s / 10)) ?? 0) + 1);
    expect(slots.size).toBe(25);
    expect(Math.max(...slots.values())).toBeLessThan(100);
  });
});
