/** The states of the client the screen tests render, built through the reducer from phone events. */
import { initialState, reduce, type Action, type AppState } from '../../src/app-state.js';
import type { PhoneEvent } from '../../src/phone-events.js';

/** Wall time of the test states. */
export const NOW = new Date(2026, 11, 1, 20, 30, 0).getTime();

/** A phone event as the reducer receives it. */
export const ev = (event: PhoneEvent): Action => ({ type: 'phone', event });

/** Applies actions at {@link NOW}. */
export function run(state: AppState, ...actions: Action[]): AppState {
  return actions.reduce((s, a) => reduce(s, a, NOW), state);
}

/** `n` users online, alice first. */
export function someUsers(n: number) {
  const base = [
    { name: 'alice', ip: '127.0.0.1', port: 5001 },
    { name: 'bob', ip: '127.0.0.2', port: 5002 },
    { name: 'carol', ip: '127.0.0.3', port: 5003 },
  ];
  if (n <= 3) return base.slice(0, n);
  return [...base, ...Array.from({ length: n - 3 }, (_, i) => ({ name: `user${String(i + 4).padStart(3, '0')}`, ip: '10.0.0.1', port: 6000 + i }))];
}

export const registered = ev({ event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true });

/** The main screen with `n` users and the second one selected. */
export function mainWith(n: number): AppState {
  return run(initialState(), registered, ev({ event: 'users', users: someUsers(n) }), { type: 'select', delta: 1 });
}

/** A classic call with bob connected: not encrypted. */
export const classicCall = ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null });

/** A v2 call with bob connected: encrypted, SAS K7QX. */
export const secureCall = ev({ event: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas: 'K7QX' });

export const stats = {
  packetsSent: 120,
  packetsReceived: 118,
  packetsLost: 2,
  packetsDropped: 1,
  inputLevelDbfs: -30,
  outputLevelDbfs: -Infinity,
  durationMs: 83_000,
  packetsRejected: 0,
  packetsReplayed: 0,
  packetsLate: 0,
  packetsConcealed: 0,
  jitterMs: 0,
  playoutDelayMs: 0,
};

/** Each screen of the client, for `n` users online. */
export function screens(n: number): Array<[string, AppState, string[]]> {
  const main = mainWith(n);
  const withLog = run(
    main,
    ...Array.from({ length: 40 }, (_, i) => ev({ event: 'log', level: 'info', message: `event number ${i} with a fairly long sentence to wrap at small widths` })),
  );
  const history = Array.from({ length: 30 }, (_, i) => ({
    peer: i % 2 === 0 ? 'bob' : 'carol',
    direction: i % 3 === 0 ? ('incoming' as const) : ('outgoing' as const),
    startedAt: new Date(NOW - i * 3_600_000).toISOString(),
    durationMs: i * 1000,
    outcome: i % 3 === 0 ? ('cancelled' as const) : ('hangup' as const),
    missed: i % 3 === 0,
  }));
  const form = run(
    initialState(),
    { type: 'form-edit', field: 'host', value: '300.1.1.1' },
    { type: 'form-edit', field: 'port', value: '99999' },
    { type: 'form-edit', field: 'name', value: 'bad/name' },
    { type: 'form-edit', field: 'udpPort', value: '80' },
    { type: 'form-submit' },
  );
  return [
    ['connect form', form, ['voip · connect to a directory', 'Server IP or host', 'Your UDP port', 'Enter next / connect']],
    ['main idle', withLog, ['voip · alice @ 127.0.0.1:10000 · UDP 5001', 'idle', 'mic on · vol 100%', 'q quit']],
    [
      'calling',
      run(withLog, ev({ event: 'state', state: 'calling', peer: 'bob' }), ev({ event: 'calling', peer: 'bob' })),
      ['voip · alice @', 'calling · bob · 00:00', 'h hang up'],
    ],
    [
      'ringing',
      run(withLog, ev({ event: 'incoming', caller: 'bob', ip: '127.0.0.2', port: 5002 })),
      ['voip · alice @', 'ringing · bob', '☎ bob is calling (127.0.0.2:5002)', 'press a or y to accept, r or n to reject'],
    ],
    [
      'in call',
      run(withLog, classicCall, ev({ event: 'stats', ...stats }), ev({ event: 'audio', muted: true, volume: 80 })),
      ['voip · alice @', 'in-call · bob · 01:23', 'mic MUTED · vol 80%'],
    ],
    [
      'encrypted call',
      run(withLog, secureCall, ev({ event: 'stats', ...stats })),
      ['voip · alice @', 'in-call · bob · 01:23', '🔒 encrypted · SAS K7QX · v: mark compared', 'mic on · vol 100%'],
    ],
    ['encrypted call, SAS compared', run(withLog, secureCall, { type: 'sas-verified' }), ['in-call · bob', '🔒 encrypted · SAS K7QX verified', 'mic on']],
    ['classic call', run(withLog, classicCall), ['in-call · bob', '⚠ not encrypted (classic call)', 'mic on']],
    ['help overlay', run(withLog, { type: 'view', view: 'help' }), ['voip · alice @', 'idle', 'Keys · Esc back', 'Tab / ↑ ↓']],
    [
      'history',
      run(withLog, ev({ event: 'history', entries: history }), { type: 'view', view: 'history' }),
      ['voip · alice @', 'idle', 'Call history (30)', '← bob · 2026-12-01 20:30 · 00:00 · MISSED (cancelled)'],
    ],
  ];
}
