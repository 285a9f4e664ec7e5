import { describe, expect, test } from 'vitest';
import { initialState, reduce, type AppState } from './app-state.js';
import { intentsForKey, keyHelp, splitKeys, type KeyPress } from './key-bindings.js';

const session = { name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true };
const users = [
  { name: 'alice', ip: '127.0.0.1', port: 5001 },
  { name: 'bob', ip: '127.0.0.1', port: 5002 },
];
const main = reduce(reduce(initialState(), { type: 'registered', session }), { type: 'users', users });
const selectedBob = reduce(main, { type: 'select', delta: 1 });
const ringing = reduce(main, { type: 'incoming', caller: 'bob', ip: '127.0.0.1', port: 5002 });
const inCall = reduce(main, { type: 'call-connected', peer: 'bob' });
const classic = reduce(initialState(), { type: 'registered', session: { ...session, listSupported: false } });
const prompt = reduce(reduce(main, { type: 'prompt-open' }), { type: 'prompt-edit', value: 'carol' });
const badPrompt = reduce(prompt, { type: 'prompt-edit', value: '' });
const k = (input: string, extra: Partial<KeyPress> = {}): KeyPress => ({ input, ...extra });

describe('intentsForKey', () => {
  test.each<[string, AppState, KeyPress, unknown[]]>([
    ['ctrl-c quits on the form', initialState(), k('c', { ctrl: true }), [{ kind: 'quit' }]],
    ['ctrl-c quits in a call', inCall, k('c', { ctrl: true }), [{ kind: 'quit' }]],
    ['tab moves focus', initialState(), k('', { tab: true }), [{ kind: 'dispatch', action: { type: 'form-focus', delta: 1 } }]],
    ['shift-tab moves back', initialState(), k('', { tab: true, shift: true }), [{ kind: 'dispatch', action: { type: 'form-focus', delta: -1 } }]],
    ['up moves back', initialState(), k('', { upArrow: true }), [{ kind: 'dispatch', action: { type: 'form-focus', delta: -1 } }]],
    ['enter on host goes to port', initialState(), k('', { return: true }), [{ kind: 'dispatch', action: { type: 'form-focus', delta: 1 } }]],
    ['enter on name submits', initialState({ server: 'h:10000' }), k('', { return: true }), [{ kind: 'dispatch', action: { type: 'form-submit' } }]],
    ['letters on the form edit the focused field', initialState(), k('q'), [{ kind: 'dispatch', action: { type: 'form-edit', field: 'host', value: 'q' } }]],
    ['backspace on the form', initialState({ server: 'ab:10000' }), k('', { backspace: true }), [{ kind: 'dispatch', action: { type: 'form-edit', field: 'name', value: '' } }]],
    ['down selects next', main, k('', { downArrow: true }), [{ kind: 'dispatch', action: { type: 'select', delta: 1 } }]],
    ['enter calls the selected user', selectedBob, k('', { return: true }), [{ kind: 'call', name: 'bob' }]],
    ['enter on a classic server does nothing', classic, k('', { return: true }), []],
    ['c opens the prompt', main, k('c'), [{ kind: 'dispatch', action: { type: 'prompt-open' } }]],
    ['c opens the prompt on a classic server', classic, k('c'), [{ kind: 'dispatch', action: { type: 'prompt-open' } }]],
    ['enter in the prompt calls', prompt, k('', { return: true }), [{ kind: 'dispatch', action: { type: 'prompt-submit' } }, { kind: 'call', name: 'carol' }]],
    ['enter with a bad name only shows the reason', badPrompt, k('', { return: true }), [{ kind: 'dispatch', action: { type: 'prompt-submit' } }]],
    ['esc closes the prompt', prompt, k('', { escape: true }), [{ kind: 'dispatch', action: { type: 'prompt-cancel' } }]],
    ['letters in the prompt are text', prompt, k('a'), [{ kind: 'dispatch', action: { type: 'prompt-edit', value: 'carola' } }]],
    ['backspace in the prompt', prompt, k('', { delete: true }), [{ kind: 'dispatch', action: { type: 'prompt-edit', value: 'caro' } }]],
    ['a accepts', ringing, k('a'), [{ kind: 'accept' }]],
    ['y accepts', ringing, k('y'), [{ kind: 'accept' }]],
    ['r rejects', ringing, k('r'), [{ kind: 'reject' }]],
    ['n rejects', ringing, k('n'), [{ kind: 'reject' }]],
    ['h while ringing does nothing', ringing, k('h'), []],
    ['a when idle does nothing', main, k('a'), []],
    ['h hangs up', inCall, k('h'), [{ kind: 'hangup' }]],
    ['enter in a call does not call', inCall, k('', { return: true }), []],
    ['h when idle does nothing', main, k('h'), []],
    ['q quits', main, k('q'), [{ kind: 'quit' }]],
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
    [prompt, 'Esc cancel'],
  ])('%#', (state, fragment) => expect(keyHelp(state)).toContain(fragment));
  test('no arrows help when the list is unavailable', () => expect(keyHelp(classic)).not.toContain('↑↓'));
});

describe('splitKeys', () => {
  test.each<[KeyPress, KeyPress[]]>([
    [{ input: 'a' }, [{ input: 'a' }]],
    [{ input: '', return: true }, [{ input: '', return: true }]],
    [{ input: 'alice\r' }, [{ input: 'alice' }, { input: '', return: true }]],
    [{ input: '127.0.0.1\r10000\r' }, [{ input: '127.0.0.1' }, { input: '', return: true }, { input: '10000' }, { input: '', return: true }]],
    [{ input: 'a\r\nb' }, [{ input: 'a' }, { input: '', return: true }, { input: 'b' }]],
    [{ input: 'plain text' }, [{ input: 'plain text' }]],
  ])('%j', (key, keys) => expect(splitKeys(key)).toEqual(keys));
});
