import { createManualClock } from '@voip/clock';
import { describe, expect, it } from 'vitest';
import { createDashboardStore } from './dashboard-state.js';
import { throttledSubscribe } from './throttled-subscribe.js';

const event = (i: number) => ({ type: 'server-event', event: { type: 'connected', at: new Date(0), connection: `c${i}`, ip: '10.0.0.1', remotePort: i } }) as const;

describe('throttledSubscribe', () => {
  it('calls at once after a quiet spell, then once per interval with the latest state, and never after unsubscribing', () => {
    const clock = createManualClock();
    const store = createDashboardStore();
    const seen: number[] = [];
    const stop = throttledSubscribe(store.subscribe, 40, clock)(() => seen.push(store.getState().connections));
    store.dispatch(event(1));
    expect(seen).toEqual([1]);
    for (let i = 2; i <= 100; i++) store.dispatch(event(i));
    expect(seen).toEqual([1]);
    clock.advance(39);
    expect(seen).toEqual([1]);
    clock.advance(1);
    expect(seen).toEqual([1, 100]);
    clock.advance(1000);
    store.dispatch(event(101));
    expect(seen).toEqual([1, 100, 101]);
    store.dispatch(event(102));
    stop();
    clock.advance(1000);
    expect(seen).toEqual([1, 100, 101]);
    expect(clock.pending()).toBe(0);
  });
});
