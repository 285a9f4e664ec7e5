import { describe, expect, test } from 'vitest';
import { initialState, reduce, type Action, type AppState } from './app-state.js';
import { intentsForKey, keyHelp, splitKeys, type KeyPress } from './key-bindings.js';
import type { PhoneEvent } from './phone-events.js';

const users = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.1', port: 5002 },
];
const ev = (event: PhoneEvent): Action => ({ type: 'phone', event });
const r = (state: AppState, ...actions: Action[]): AppState => actions.reduce((s, a) => reduce(s, a, 0), state);
const registered = (listSupported: boolean) => ev({ event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported });
const main = r(initialState(), registered(true), ev({ event: 'users', users }));
const selectedBob = r(main, { type: 'select', delta: 1 });
const ringing = r(main, ev({ event: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 }));
const inCall = r(main, ev({ event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null }));
const callingOut = r(main, ev({ event: 'calling', peer: 'bob' }));
const confirming = r(inCall, { type: 'quit-ask' });
const classic = r(initialState(), registered(false));
const prompt = r(main, { type: 'prompt-open' }, { type: 'prompt-edit', value: 'carol' });
const badPrompt = r(prompt, { type: 'prompt-edit', value: '' });
const filtering = r(main, { type: 'filter-open' }, { type: 'filter-edit', value: 'bo' });
const filtered = r(filtering, { type: 'filter-close', clear: false });
const help = r(main, { type: 'view', view: 'help' });
const history = r(main, { type: 'view', view: 'history' });
const hostWithCursor = r(initialState(), { type: 'form-edit', field: 'host', value: '12.0.0.1', cursor: 1 });
const k = (input: string, extra: Partial<KeyPress> = {}): KeyPress => ({ input, ...extra });
const d = (action: Action) => ({ kind: 'dispatch', action });

describe('intentsForKey', () => {
  test.each<[string, AppState, KeyPress, unknown[]]>([
    ['ctrl-c quits on the form', initialState(), k('c', { ctrl: true }), [{ kind: 'quit' }]],
    ['ctrl-c quits in a call at once', inCall, k('c', { ctrl: true }), [{ kind: 'quit' }]],
    ['ctrl-c quits while asked to confirm', confirming, k('c', { ctrl: true }), [{ kind: 'quit' }]],
    ['tab moves focus', initialState(), k('', { tab: true }), [d({ type: 'form-focus', delta: 1 })]],
    ['shift-tab moves back', initialState(), k('', { tab: true, shift: true }), [d({ type: 'form-focus', delta: -1 })]],
    ['up moves back', initialState(), k('', { upArrow: true }), [d({ type: 'form-focus', delta: -1 })]],
    ['enter on host goes to port', initialState(), k('', { return: true }), [d({ type: 'form-focus', delta: 1 })]],
    ['enter on name submits', initialState({ server: 'h:10000' }), k('', { return: true }), [d({ type: 'form-submit' })]],
    ['enter on the UDP port submits', r(initialState({ server: 'h:10000' }), { type: 'form-focus', delta: 1 }), k('', { return: true }), [d({ type: 'form-submit' })]],
    ['letters on the form edit the focused field', initialState(), k('q'), [d({ type: 'form-edit', field: 'host', value: 'q', cursor: 1 })]],
    ['backspace on the form', initialState({ server: 'ab:10000' }), k('', { backspace: true }), [d({ type: 'form-edit', field: 'name', value: '', cursor: 0 })]],
    ['typing inserts at the cursor', hostWithCursor, k('7'), [d({ type: 'form-edit', field: 'host', value: '172.0.0.1', cursor: 2 })]],
    ['left moves the cursor', hostWithCursor, k('', { leftArrow: true }), [d({ type: 'form-edit', field: 'host', value: '12.0.0.1', cursor: 0 })]],
    ['end moves the cursor to the end', hostWithCursor, k('', { end: true }), [d({ type: 'form-edit', field: 'host', value: '12.0.0.1', cursor: 8 })]],
    ['backspace at the cursor', hostWithCursor, k('', { delete: true }), [d({ type: 'form-edit', field: 'host', value: '2.0.0.1', cursor: 0 })]],
    ['down selects next', main, k('', { downArrow: true }), [d({ type: 'select', delta: 1 })]],
    ['enter calls the selected user', selectedBob, k('', { return: true }), [{ kind: 'call', name: 'bob' }]],
    ['enter on a classic server does nothing', classic, k('', { return: true }), []],
    ['c opens the prompt', main, k('c'), [d({ type: 'prompt-open' })]],
    ['c opens the prompt on a classic server', classic, k('c'), [d({ type: 'prompt-open' })]],
    ['enter in the prompt calls', prompt, k('', { return: true }), [d({ type: 'prompt-submit' }), { kind: 'call', name: 'carol' }]],
    ['enter with a bad name only shows the reason', badPrompt, k('', { return: true }), [d({ type: 'prompt-submit' })]],
    ['esc closes the prompt', prompt, k('', { escape: true }), [d({ type: 'prompt-cancel' })]],
    ['letters in the prompt are text', prompt, k('a'), [d({ type: 'prompt-edit', value: 'carola', cursor: 6 })]],
    ['backspace in the prompt', prompt, k('', { delete: true }), [d({ type: 'prompt-edit', value: 'caro', cursor: 4 })]],
    ['home in the prompt', prompt, k('', { home: true }), [d({ type: 'prompt-edit', value: 'carol', cursor: 0 })]],
    ['a accepts', ringing, k('a'), [{ kind: 'accept' }]],
    ['y accepts', ringing, k('y'), [{ kind: 'accept' }]],
    ['r rejects', ringing, k('r'), [{ kind: 'reject' }]],
    ['n rejects', ringing, k('n'), [{ kind: 'reject' }]],
    ['h while ringing does nothing', ringing, k('h'), []],
    ['q while ringing asks first', ringing, k('q'), [d({ type: 'quit-ask' })]],
    ['a when idle does nothing', main, k('a'), []],
    ['h hangs up', inCall, k('h'), [{ kind: 'hangup' }]],
    ['h hangs up while calling', callingOut, k('h'), [{ kind: 'hangup' }]],
    ['m mutes in a call', inCall, k('m'), [{ kind: 'mute' }]],
    ['m mutes while calling', callingOut, k('m'), [{ kind: 'mute' }]],
    ['+ turns the volume up', inCall, k('+'), [{ kind: 'volume', delta: 10 }]],
    ['= turns the volume up (unshifted +)', inCall, k('='), [{ kind: 'volume', delta: 10 }]],
    ['- turns the volume down', inCall, k('-'), [{ kind: 'volume', delta: -10 }]],
    ['m when idle does nothing', main, k('m'), []],
    ['enter in a call does not call', inCall, k('', { return: true }), []],
    ['h when idle does nothing', main, k('h'), []],
    ['q quits when idle', main, k('q'), [{ kind: 'quit' }]],
    ['q in a call asks first', inCall, k('q'), [d({ type: 'quit-ask' })]],
    ['q while calling asks first', callingOut, k('q'), [d({ type: 'quit-ask' })]],
    ['y confirms the quit', confirming, k('y'), [{ kind: 'quit' }]],
    ['any other key cancels the quit', confirming, k('n'), [d({ type: 'quit-cancel' })]],
    ['enter cancels the quit', confirming, k('', { return: true }), [d({ type: 'quit-cancel' })]],
    ['? opens the help', main, k('?'), [d({ type: 'view', view: 'help' })]],
    ['? opens the help in a call', inCall, k('?'), [d({ type: 'view', view: 'help' })]],
    ['l opens the history', main, k('l'), [d({ type: 'view', view: 'history' })]],
    ['esc closes the help', help, k('', { escape: true }), [d({ type: 'view', view: 'main' })]],
    ['? closes the help', help, k('?'), [d({ type: 'view', view: 'main' })]],
    ['l closes the history', history, k('l'), [d({ type: 'view', view: 'main' })]],
    ['down scrolls an overlay', history, k('', { downArrow: true }), [d({ type: 'overlay-scroll', delta: 1 })]],
    ['other keys do nothing in an overlay', help, k('h'), []],
    ['pgup scrolls the log back', main, k('', { pageUp: true }), [d({ type: 'log-scroll', delta: 5 })]],
    ['pgdn scrolls the log on, in a call too', inCall, k('', { pageDown: true }), [d({ type: 'log-scroll', delta: -5 })]],
    ['/ opens the filter', main, k('/'), [d({ type: 'filter-open' })]],
    ['/ on a classic server does nothing', classic, k('/'), []],
    ['letters in the filter are text', filtering, k('b'), [d({ type: 'filter-edit', value: 'bob', cursor: 3 })]],
    ['q in the filter is text', filtering, k('q'), [d({ type: 'filter-edit', value: 'boq', cursor: 3 })]],
    ['arrows select while filtering', filtering, k('', { downArrow: true }), [d({ type: 'select', delta: 1 })]],
    ['enter ends filter typing', filtering, k('', { return: true }), [d({ type: 'filter-close', clear: false })]],
    ['esc clears the filter', filtering, k('', { escape: true }), [d({ type: 'filter-close', clear: true })]],
    ['enter calls the selected user of the filtered list', filtered, k('', { return: true }), [{ kind: 'call', name: 'bob' }]],
    ['esc clears a kept filter', filtered, k('', { escape: true }), [d({ type: 'filter-close', clear: true })]],
  ])('%s', (_label, state, key, intents) => {
    expect(intentsForKey(state, key)).toEqual(intents);
  });
});

describe('keyHelp', () => {
  test.each<[AppState, string]>([
    [initialState(), 'Enter next / connect'],
    [main, 'Enter call'],
    [classic, 'c call by name'],
    [ringing, 'a/y accept'],
    [inCall, 'h hang up'],
    [inCall, 'm mute'],
    [prompt, 'Esc cancel'],
    [confirming, 'y quit'],
    [help, 'Esc back'],
    [filtering, 'Esc clear'],
  ])('%#', (state, fragment) => expect(keyHelp(state)).toContain(fragment));
  test('no arrows help when the list is unavailable', () => expect(keyHelp(classic)).not.toContain('↑↓'));
  test.each([initialState(), main, classic, ringing, inCall, prompt, confirming, help, filtering])('fits 60 columns (%#)', (state) => {
    expect([...keyHelp(state)].length).toBeLessThan(60);
  });
});

describe('splitKeys', () => {
  test.each<[KeyPress, KeyPress[]]>([
    [{ input: 'a' }, [{ input: 'a' }]],
    [{ input: '', return: true }, [{ input: '', return: true }]],
    [{ input: 'alice\r' }, [{ input: 'alice' }, { input: '', return: true }]],
    [{ input: '127.0.0.1\r10000\r' }, [{ input: '127.0.0.1' }, { input: '', return: true }, { input: '10000' }, { input: '', return: true }]],
    [{ input: 'a\r\nb' }, [{ input: 'a' }, { input: '', return: true }, { input: 'b' }]],
    [{ input: 'plain text' }, [{ input: 'plain text' }]],
    [
      { input: '\u007f\u007f' },
      [
        { input: '', delete: true },
        { input: '', delete: true },
      ],
    ],
    [
      { input: '\b\b' },
      [
        { input: '', backspace: true },
        { input: '', backspace: true },
      ],
    ],
    [{ input: 'bob\t' }, [{ input: 'bob' }, { input: '', tab: true }]],
    [{ input: 'ab\u001b[D\u001b[Dx' }, [{ input: 'ab' }, { input: '', leftArrow: true }, { input: '', leftArrow: true }, { input: 'x' }]],
    [
      { input: '\u001b[A\u001b[B\u001b[C' },
      [
        { input: '', upArrow: true },
        { input: '', downArrow: true },
        { input: '', rightArrow: true },
      ],
    ],
    [
      { input: '\u001b[H\u001b[F\u001bOH\u001bOF' },
      [
        { input: '', home: true },
        { input: '', end: true },
        { input: '', home: true },
        { input: '', end: true },
      ],
    ],
    [
      { input: '\u001b[1~\u001b[4~\u001b[3~' },
      [
        { input: '', home: true },
        { input: '', end: true },
        { input: '', delete: true },
      ],
    ],
    [
      { input: '\u001b[5~\u001b[6~\u001b[Z' },
      [
        { input: '', pageUp: true },
        { input: '', pageDown: true },
        { input: '', tab: true, shift: true },
      ],
    ],
    [{ input: '\u001b[1;5Cz' }, [{ input: '', rightArrow: true }, { input: 'z' }]],
    [{ input: 'x\u001b' }, [{ input: 'x' }, { input: '', escape: true, meta: true }]],
    [{ input: 'a\u0015b' }, [{ input: 'a' }, { input: 'u', ctrl: true }, { input: 'b' }]],
    [{ input: 'a\u001b[99' }, [{ input: 'a' }]],
    [{ input: 'ab', shift: false }, [{ input: 'ab', shift: false }]],
    [{ input: 'AB', shift: true }, [{ input: 'AB', shift: true }]],
  ])('%j', (key, keys) => expect(splitKeys(key)).toEqual(keys));

  test('named keys are kept as Ink reported them', () => {
    const key = { input: '', upArrow: true, meta: false };
    expect(splitKeys(key)).toEqual([key]);
  });
});
