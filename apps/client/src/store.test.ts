import { expect, test } from 'vitest';
import { createStore } from './store.js';

test('dispatch reduces, notifies once per change, and not for no-ops', () => {
  const store = createStore((n: number, a: number) => (a === 0 ? n : n + a), 1);
  let calls = 0;
  const off = store.subscribe(() => calls++);
  store.dispatch(2);
  store.dispatch(0);
  expect(store.getState()).toBe(3);
  expect(calls).toBe(1);
  off();
  store.dispatch(1);
  expect(calls).toBe(1);
  expect(store.getState()).toBe(4);
});

test('the reducer is handed the injected time of each action', () => {
  let clock = 1000;
  const store = createStore(
    (seen: number[], _a: 'x', now: number) => [...seen, now],
    [],
    () => clock,
  );
  store.dispatch('x');
  clock = 2500;
  store.dispatch('x');
  expect(store.getState()).toEqual([1000, 2500]);
});
