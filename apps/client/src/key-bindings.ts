/**
 * What each key does on each screen, as a pure function of the state: the Ink
 * container only forwards key presses and carries the intents out.
 */
import { FORM_FIELDS, isBusy, type Action, type AppState } from './app-state.js';
import { editText, type TextKey } from './text-edit.js';
import { checkName } from './validate.js';

/** A key press, as Ink's `useInput` reports it (only the fields used here). */
export interface KeyPress extends TextKey {
  readonly shift?: boolean;
}

/** What a key asks for: a state change, or something the phone must do. */
export type Intent =
  | { readonly kind: 'dispatch'; readonly action: Action }
  | { readonly kind: 'call'; readonly name: string }
  | { readonly kind: 'accept' }
  | { readonly kind: 'reject' }
  | { readonly kind: 'hangup' }
  /** Toggles the microphone mute of the call in progress. */
  | { readonly kind: 'mute' }
  /** Changes the speaker volume by `delta` percentage points (clamped to 0-200). */
  | { readonly kind: 'volume'; readonly delta: number }
  /** Quits now (any confirmation already given). */
  | { readonly kind: 'quit' };

/** The help line of each screen. */
export function keyHelp(state: AppState): string {
  if (state.screen === 'connect') return 'Tab/↑↓ move · Enter next / connect · Ctrl-C quit';
  if (state.screen === 'connecting') return 'Ctrl-C quit';
  if (state.prompt) return 'Enter call · Esc cancel · Ctrl-C quit';
  if (state.call.incoming) return 'a/y accept · r/n reject · Ctrl-C quit';
  if (isBusy(state.call)) return 'h hang up · q quit';
  const pick = state.usersStatus === 'ready' ? '↑↓ select · Enter call · ' : '';
  return `${pick}c call by name · q quit`;
}

const dispatch = (action: Action): Intent => ({ kind: 'dispatch', action });

/**
 * Splits a chunk that a terminal delivered in one read (pasted or typed fast, e.g.
 * `alice\r`) into text and Enter presses, which Ink would report as one unnamed key.
 */
export function splitKeys(key: KeyPress): KeyPress[] {
  if (key.input.length < 2 || !/[\r\n]/.test(key.input) || key.ctrl || key.meta) return [key];
  const keys: KeyPress[] = [];
  const parts = key.input.split(/\r\n|\r|\n/);
  parts.forEach((part, index) => {
    if (part !== '') keys.push({ input: part });
    if (index < parts.length - 1) keys.push({ input: '', return: true });
  });
  return keys;
}

/** The intents of one key press on the current screen. */
export function intentsForKey(state: AppState, key: KeyPress): Intent[] {
  if (key.ctrl && key.input === 'c') return [{ kind: 'quit' }];
  if (state.screen === 'connect') return formKeys(state, key);
  if (state.screen !== 'main') return [];
  if (state.prompt) {
    if (key.escape) return [dispatch({ type: 'prompt-cancel' })];
    if (key.return) {
      const name = checkName(state.prompt.value.trim());
      return name.ok ? [dispatch({ type: 'prompt-submit' }), { kind: 'call', name: name.value }] : [dispatch({ type: 'prompt-submit' })];
    }
    const value = editText(state.prompt.value, key);
    return value === undefined ? [] : [dispatch({ type: 'prompt-edit', value })];
  }
  if (state.call.incoming) {
    if (key.input === 'a' || key.input === 'y') return [{ kind: 'accept' }];
    if (key.input === 'r' || key.input === 'n') return [{ kind: 'reject' }];
    return [];
  }
  if (key.upArrow) return [dispatch({ type: 'select', delta: -1 })];
  if (key.downArrow) return [dispatch({ type: 'select', delta: 1 })];
  if (key.input === 'q') return [{ kind: 'quit' }];
  if (isBusy(state.call)) return key.input === 'h' ? [{ kind: 'hangup' }] : [];
  if (key.return) {
    const user = state.usersStatus === 'ready' ? state.users[state.selected] : undefined;
    return user ? [{ kind: 'call', name: user.name }] : [];
  }
  if (key.input === 'c') return [dispatch({ type: 'prompt-open' })];
  return [];
}

function formKeys(state: AppState, key: KeyPress): Intent[] {
  if ((key.tab && !key.shift) || key.downArrow) return [dispatch({ type: 'form-focus', delta: 1 })];
  if ((key.tab && key.shift) || key.upArrow) return [dispatch({ type: 'form-focus', delta: -1 })];
  if (key.return) {
    const last = state.form.focus === FORM_FIELDS[FORM_FIELDS.length - 1];
    return [dispatch(last ? { type: 'form-submit' } : { type: 'form-focus', delta: 1 })];
  }
  const value = editText(state.form.values[state.form.focus], key);
  return value === undefined ? [] : [dispatch({ type: 'form-edit', field: state.form.focus, value })];
}
