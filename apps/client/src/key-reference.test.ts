import { describe, expect, test } from 'vitest';
import { initialState, reduce, type Action, type AppState } from './app-state.js';
import { intentsForKey, type KeyPress } from './key-bindings.js';
import { KEY_REFERENCE } from './key-reference.js';
import type { PhoneEvent } from './phone-events.js';

const ev = (event: PhoneEvent): Action => ({ type: 'phone', event });
const r = (state: AppState, ...actions: Action[]): AppState => actions.reduce((s, a) => reduce(s, a, 0), state);
const main = r(
  initialState(),
  ev({ event: 'registered', name: 'alice', server: 'h:1', udpPort: 5001, listSupported: true }),
  ev({ event: 'users', users: [{ name: 'bob', ip: '127.0.0.1', port: 5002 }] }),
);
const inCall = r(main, ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null }));
const inSecureCall = r(main, ev({ event: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas: 'K7QX' }));
const ringing = r(main, ev({ event: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 }));

describe('KEY_REFERENCE', () => {
  // Every key that does something somewhere, and how the reference writes it.
  test.each<[string, AppState, KeyPress]>([
    ['c', main, { input: 'c' }],
    ['/', main, { input: '/' }],
    ['l', main, { input: 'l' }],
    ['?', main, { input: '?' }],
    ['q', main, { input: 'q' }],
    ['PgUp', main, { input: '', pageUp: true }],
    ['PgDn', main, { input: '', pageDown: true }],
    ['Enter', main, { input: '', return: true }],
    ['↑ ↓', main, { input: '', downArrow: true }],
    ['h', inCall, { input: 'h' }],
    ['m', inCall, { input: 'm' }],
    ['+', inCall, { input: '+' }],
    ['-', inCall, { input: '-' }],
    ['v', inSecureCall, { input: 'v' }],
    ['a / y', ringing, { input: 'a' }],
    ['r / n', ringing, { input: 'r' }],
    ['Tab', initialState(), { input: '', tab: true }],
    ['Home', initialState(), { input: '', home: true }],
    ['Ctrl-C', main, { input: 'c', ctrl: true }],
  ])('%s is bound and listed', (keys, state, key) => {
    expect(intentsForKey(state, key)).not.toEqual([]);
    expect(KEY_REFERENCE.some((row) => row.keys.includes(keys))).toBe(true);
  });

  test('each row says where and what', () => {
    for (const row of KEY_REFERENCE) {
      expect(row.keys.trim()).not.toBe('');
      expect(row.where.trim()).not.toBe('');
      expect(row.action.trim()).not.toBe('');
    }
  });
});
