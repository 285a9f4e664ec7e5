import { describe, expect, test } from 'vitest';
import { initialState, reduce, type Action, type AppState } from './app-state.js';
import { intentsForKey } from './key-bindings.js';
import type { PhoneEvent } from './phone-events.js';

const NOW = 1_700_000_000_000;
const ev = (event: PhoneEvent): Action => ({ type: 'phone', event });
const run = (state: AppState, ...actions: Action[]): AppState => actions.reduce((s, a) => reduce(s, a, NOW), state);
const main = run(
  initialState({ server: '127.0.0.1:10000', name: 'alice' }),
  ev({ event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true }),
);
const v2 = (sas: string) => ev({ event: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas });
const classic = ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null });
const hungUp = ev({ event: 'ended', peer: 'bob', reason: 'hangup', direction: 'outgoing', message: 'you hung up the call with bob', durationMs: 1000 });
const verify: Action = { type: 'sas-verified' };

describe('call security', () => {
  test('a v2 call: encrypted with its SAS, not yet compared; the log says to compare it', () => {
    const state = run(main, v2('K7QX'));
    expect(state.call.security).toEqual({ protocol: 'v2', secure: true, sas: 'K7QX', verified: false });
    expect(state.log.at(-1)?.message).toBe('in call with bob: encrypted, SAS K7QX: read it aloud with bob, then press v');
  });

  test('a classic call: not encrypted, nothing to compare', () => {
    const state = run(main, classic);
    expect(state.call.security).toEqual({ protocol: 'classic', secure: false, sas: null, verified: false });
    expect(state.log.at(-1)?.message).toBe('in call with bob: not encrypted (classic call)');
    expect(run(state, verify)).toBe(state);
  });

  test('v marks the SAS compared, once, with a log line', () => {
    const state = run(main, v2('K7QX'), verify);
    expect(state.call.security?.verified).toBe(true);
    expect(state.log.at(-1)?.message).toBe('SAS K7QX marked as compared with bob');
    expect(run(state, verify)).toBe(state);
  });

  test('compared for this call only: the next call starts unverified', () => {
    const ended = run(main, v2('K7QX'), verify, hungUp);
    expect(ended.call.security).toBeUndefined();
    expect(run(ended, v2('ABCD')).call.security).toEqual({ protocol: 'v2', secure: true, sas: 'ABCD', verified: false });
  });

  test('state changes and stats during the call keep what is known', () => {
    const state = run(main, v2('K7QX'), verify, ev({ event: 'state', state: 'in-call', peer: 'bob' }));
    expect(state.call.security?.verified).toBe(true);
  });

  test('v outside a call does nothing', () => {
    expect(run(main, verify)).toBe(main);
  });

  test('the v key: marks the SAS in a v2 call; nothing in a classic call or when already compared', () => {
    expect(intentsForKey(run(main, v2('K7QX')), { input: 'v' })).toEqual([{ kind: 'dispatch', action: verify }]);
    expect(intentsForKey(run(main, classic), { input: 'v' })).toEqual([]);
    expect(intentsForKey(main, { input: 'v' })).toEqual([]);
  });
});
