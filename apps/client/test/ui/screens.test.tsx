import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import { initialState, visibleUsers, type AppState } from '../../src/app-state.js';
import { KEY_REFERENCE } from '../../src/key-reference.js';
import { Screen } from '../../src/ui/Screen.js';
import { cleanupSized, renderAt } from './sized-render.js';
import { NOW, classicCall, ev, mainWith, run, screens, stats } from './screen-states.js';

afterEach(() => cleanupSized());

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const lines = (frame: string): string[] => frame.replace(ANSI, '').replace(/\n$/, '').split('\n');
const frameOf = (state: AppState, columns = 100, rows = 30, now = NOW): string =>
  renderAt(<Screen state={state} now={now} />, columns, rows)
    .lastFrame()
    .replace(ANSI, '');

const SIZES: Array<[number, number]> = [
  [60, 16],
  [80, 24],
  [200, 50],
];

describe.each(SIZES)('at %ix%i', (columns, rows) => {
  describe.each([0, 3, 500])('with %i users', (count) => {
    test.each(screens(count))('%s fits, with its title, status and prompt', (_name, state, expected) => {
      const frame = renderAt(<Screen state={state} now={NOW} />, columns, rows).lastFrame();
      const shown = lines(frame);
      expect(shown.length).toBeLessThanOrEqual(rows);
      for (const line of shown) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
      const text = shown.join('\n');
      for (const fragment of expected) expect(text).toContain(fragment);
    });
  });
});

describe('user list', () => {
  test('500 users: the selection stays in view and the rest is counted', () => {
    const state = run(mainWith(500), { type: 'select', delta: 300 });
    const text = frameOf(state, 80, 24);
    expect(visibleUsers(state)[state.selected]?.name).toBe('user302');
    expect(text).toContain('› user302');
    expect(text).toMatch(/… \d+ more/);
    expect(text).toContain('Users online (500)');
  });

  test('typing a filter narrows the list and says how many match', () => {
    const state = run(mainWith(500), { type: 'filter-open' }, { type: 'filter-edit', value: 'user49' });
    const text = frameOf(state, 80, 24);
    expect(text).toContain('Users online (10 of 500) · filter: user49');
    expect(text).toContain('user490');
    expect(text).not.toContain('carol');
  });

  test('a filter nobody matches', () => {
    const text = frameOf(run(mainWith(3), { type: 'filter-open' }, { type: 'filter-edit', value: 'zed' }));
    expect(text).toContain('nobody matches the filter');
  });

  test('the frame follows a resize of the terminal', async () => {
    const screen = renderAt(<Screen state={mainWith(500)} now={NOW} />, 80, 40);
    const before = lines(screen.lastFrame()).length;
    screen.resize(60, 16);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = lines(screen.lastFrame());
    expect(before).toBeGreaterThan(16);
    expect(after.length).toBeLessThanOrEqual(16);
    for (const line of after) expect(stringWidth(line)).toBeLessThanOrEqual(60);
  });
});

describe('incoming call prompt', () => {
  test('a long caller name at 60x16 with many users: who and the keys both shown', () => {
    const caller = 'a'.repeat(32);
    const state = run(mainWith(500), ev({ event: 'incoming', caller, ip: '255.255.255.255', port: 65535 }), { type: 'quit-ask' });
    const text = frameOf(state, 60, 16);
    expect(text).toContain(`☎ ${caller} is calling`);
    expect(text).toContain('(255.255.255.255:65535)');
    expect(text).toContain('press a or y to accept, r or n to reject');
    expect(text).toContain('voip · alice @');
    expect(text).toContain('Quit now and hang up');
  });
});

describe('ConnectForm', () => {
  test('shows the fields and the reasons next to the bad ones', () => {
    const state = run(
      initialState(),
      { type: 'form-edit', field: 'host', value: '300.1.1.1' },
      { type: 'form-edit', field: 'port', value: '99999' },
      { type: 'form-edit', field: 'name', value: 'bad/name' },
      { type: 'form-submit' },
    );
    const frame = frameOf(state);
    expect(frame).toContain('Server IP or host');
    expect(frame).toContain('300.1.1.1');
    expect(frame).toContain('bad host "300.1.1.1"');
    expect(frame).toContain('port 99999 is out of range (1-65535)');
    expect(frame).toContain('may contain only letters');
  });

  test('a port that is not a number', () => {
    const state = run(
      initialState({ server: 'localhost' }),
      { type: 'form-edit', field: 'port', value: 'abc' },
      { type: 'form-edit', field: 'name', value: 'alice' },
      { type: 'form-submit' },
    );
    expect(frameOf(state)).toContain('port "abc" is not a number');
  });

  test('the UDP port field shows the --udp-port value', () => {
    expect(frameOf(initialState({ udpPort: 6001 }))).toMatch(/Your UDP port\s+6001/);
  });

  test('the focused field shows its cursor where it is', () => {
    const state = run(initialState(), { type: 'form-edit', field: 'host', value: 'abcdef', cursor: 2 });
    const raw = renderAt(<Screen state={state} now={NOW} />, 100, 30).lastFrame();
    expect(raw).toContain('abcdef');
  });

  test('connecting, then a failure from the server', () => {
    const connecting = initialState({ server: '127.0.0.1:10000', name: 'alice' });
    expect(frameOf(connecting)).toContain('connecting to 127.0.0.1:10000 as alice');
    const failed = run(connecting, ev({ event: 'error', code: 'name-refused', message: 'the directory refused the name "alice": name taken' }));
    const frame = frameOf(failed);
    expect(frame).toContain('refused the name "alice": name taken');
    expect(frame).not.toContain('connecting to');
  });

  test('directory lost: the form comes back prefilled with the reason', () => {
    const lost = run(mainWith(3), ev({ event: 'error', code: 'directory-lost', message: 'lost the directory at 127.0.0.1:10000: connection reset' }));
    expect(lost.screen).toBe('connect');
    const frame = frameOf(lost);
    expect(frame).toContain('lost the directory at 127.0.0.1:10000: connection reset');
    expect(frame).toContain('Press Enter to connect again');
    expect(frame).toContain('127.0.0.1');
    expect(frame).toContain('alice');
  });
});

describe('MainScreen', () => {
  const main = mainWith(3);

  test('users online with the selection and who we are', () => {
    const frame = frameOf(main);
    expect(frame).toContain('voip · alice @ 127.0.0.1:10000 · UDP 5001');
    expect(frame).toContain('alice (you)');
    expect(frame).toContain('› bob  127.0.0.2:5002');
    expect(frame).toContain('  carol  127.0.0.3:5003');
    expect(frame).toContain('idle');
  });

  test('a classic server: the list is unavailable, call by name', () => {
    const classic = run(initialState(), ev({ event: 'registered', name: 'alice', server: 'h:10000', udpPort: 5001, listSupported: false }));
    const frame = frameOf(classic);
    expect(frame).toContain('user list unavailable');
    expect(frame).toContain('Press c to call someone by name');
  });

  test('an incoming call prompt', () => {
    const frame = frameOf(run(main, ev({ event: 'incoming', caller: 'bob', ip: '127.0.0.2', port: 5002 })));
    expect(frame).toContain('bob is calling (127.0.0.2:5002)');
    expect(frame).toContain('press a or y to accept, r or n to reject');
    expect(frame).toContain('ringing');
  });

  test('in a call: peer, mm:ss, packets, level meters, mute and volume', () => {
    const frame = frameOf(run(main, classicCall, ev({ event: 'stats', ...stats })));
    expect(frame).toContain('in-call · bob · 01:23');
    expect(frame).toContain('sent 120 · received 118 · lost 2 · dropped 1');
    expect(frame).toContain('in  [#####.....] -30 dB');
    expect(frame).toContain('out [..........] silent');
    expect(frame).toContain('in call with bob');
    expect(frame).toContain('mic on · vol 100%');
    expect(frameOf(run(main, classicCall, ev({ event: 'audio', muted: true, volume: 150 })))).toContain('mic MUTED · vol 150%');
  });

  test('ringing out: the timer runs from the call', () => {
    const calling = run(main, ev({ event: 'calling', peer: 'bob' }));
    expect(frameOf(calling, 100, 30, NOW + 7_000)).toContain('calling · bob · 00:07');
  });

  test('the call-who prompt with its reason', () => {
    const prompt = run(main, { type: 'prompt-open' }, { type: 'prompt-edit', value: 'b@d' }, { type: 'prompt-submit' });
    const frame = frameOf(prompt);
    expect(frame).toContain('Call who? b@d');
    expect(frame).toContain('may contain only letters');
  });

  test('directory lost during a call: a banner until the call ends', () => {
    const lost = run(main, classicCall, ev({ event: 'error', code: 'directory-lost', message: 'lost the directory at 127.0.0.1:10000: closed' }));
    expect(frameOf(lost)).toContain('lost the directory at 127.0.0.1:10000: closed: back to the connect form when this call ends');
  });

  test('failover during a call: a line says the directory was lost while registering on the next; then the title names the new server', () => {
    const lost = run(main, classicCall, ev({ event: 'disconnected', server: '127.0.0.1:10000', reason: 'closed' }));
    const frame = frameOf(lost);
    expect(frame).toContain('⟳ lost the directory at 127.0.0.1:10000: registering on the next server');
    expect(frame).toContain('in-call · bob');
    const back = frameOf(run(lost, ev({ event: 'reconnected', server: '127.0.0.1:10001' })));
    expect(back).not.toContain('⟳');
    expect(lines(back)[0]).toContain('@ 127.0.0.1:10001');
    expect(back).toContain('registered again at 127.0.0.1:10001');
  });

  test('after a call: how it ended', () => {
    const ended = run(
      main,
      classicCall,
      ev({ event: 'ended', peer: 'bob', reason: 'peer-silent', message: 'no audio from bob: call ended', direction: 'outgoing', durationMs: 5000 }),
    );
    expect(frameOf(ended)).toContain('last call: no audio from bob: call ended');
  });

  test('q in a call: the question is on screen', () => {
    const asked = run(main, classicCall, { type: 'quit-ask' });
    const frame = frameOf(asked);
    expect(frame).toContain('Quit now and hang up the call with bob? y quits, any other key stays');
    expect(frame).toContain('y quit (hangs up)');
  });
});

describe('log', () => {
  const logged = run(mainWith(3), ...Array.from({ length: 30 }, (_, i) => ev({ event: 'log', level: 'info', message: `line ${i}` })));

  test('each line shows its time; the newest are shown', () => {
    const frame = frameOf(logged, 100, 30);
    expect(frame).toContain('20:30:00 line 29');
    expect(frame).not.toContain('line 3\n');
  });

  test('PgUp scrolls back to older lines, PgDn returns', () => {
    const back = run(logged, { type: 'log-scroll', delta: 25 });
    const frame = frameOf(back, 100, 30);
    expect(frame).toContain('20:30:00 line 4');
    expect(frame).not.toContain('line 29');
    expect(frame).toContain('25 back, PgDn for newer');
    expect(frameOf(run(back, { type: 'log-scroll', delta: -25 }), 100, 30)).toContain('line 29');
  });
});

describe('help overlay', () => {
  test('every key of the reference is listed, scrolling where it does not fit', () => {
    const seen = new Set<string>();
    let state = run(mainWith(3), { type: 'view', view: 'help' });
    for (let i = 0; i < KEY_REFERENCE.length * 2; i++) {
      for (const line of lines(frameOf(state, 60, 16))) seen.add(line);
      state = run(state, { type: 'overlay-scroll', delta: 1 });
    }
    const text = [...seen].join('\n');
    for (const row of KEY_REFERENCE) expect(text).toContain(row.keys);
    for (const row of KEY_REFERENCE) expect(text).toContain(row.action.split(' ')[0]);
  });

  test('at 200x50 it fits whole', () => {
    const frame = frameOf(run(mainWith(3), { type: 'view', view: 'help' }), 200, 50);
    for (const row of KEY_REFERENCE) expect(frame).toContain(`${row.action} (${row.where})`);
    expect(frame).not.toContain('↑↓ PgUp PgDn scroll');
  });
});

describe('history view', () => {
  test('who, direction, start, duration, outcome and missed', () => {
    const entries = [
      { peer: 'bob', direction: 'outgoing' as const, startedAt: new Date(2026, 11, 1, 9, 15).toISOString(), durationMs: 83_000, outcome: 'hangup' as const, missed: false },
      { peer: 'carol', direction: 'incoming' as const, startedAt: new Date(2026, 10, 30, 18, 2).toISOString(), durationMs: 0, outcome: 'cancelled' as const, missed: true },
    ];
    const frame = frameOf(run(mainWith(3), ev({ event: 'history', entries }), { type: 'view', view: 'history' }));
    expect(frame).toContain('Call history (2)');
    expect(frame).toContain('→ bob · 2026-12-01 09:15 · 01:23 · ended');
    expect(frame).toContain('← carol · 2026-11-30 18:02 · 00:00 · MISSED (cancelled)');
  });

  test('no calls yet', () => {
    expect(frameOf(run(mainWith(3), { type: 'view', view: 'history' }))).toContain('no calls yet');
  });
});
