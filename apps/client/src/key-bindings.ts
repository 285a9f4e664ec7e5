/**
 * What each key does on each screen, as a pure function of the state: the Ink
 * container only forwards key presses and carries the intents out.
 */
import { isBusy, submitsFrom, visibleUsers, type Action, type AppState } from './app-state.js';
import { editField, type TextKey } from './text-edit.js';
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

/** Lines the log moves per PgUp/PgDn. */
export const LOG_PAGE = 5;

/** Percentage points of speaker volume per `+`/`-`. */
export const VOLUME_STEP = 10;

/** The help line of each screen (short enough for a 60-column terminal). */
export function keyHelp(state: AppState): string {
  if (state.screen === 'connect') return 'Tab/↑↓ move · Enter next / connect · Ctrl-C quit';
  if (state.screen === 'connecting') return 'Ctrl-C quit';
  if (state.confirmQuit) return 'y quit (hangs up) · any other key stays';
  if (state.view !== 'main') return '↑↓ scroll · Esc back · Ctrl-C quit';
  if (state.prompt) return 'Enter call · Esc cancel · Ctrl-C quit';
  if (state.call.incoming) return 'a/y accept · r/n reject · ? keys · q quit';
  if (state.filter?.editing) return 'type a name · ↑↓ select · Enter done · Esc clear';
  if (isBusy(state.call)) return 'h hang up · m mute · +/- volume · ? keys · q quit';
  if (state.usersStatus === 'ready') return '↑↓ · Enter call · c by name · / filter · ? keys · q quit';
  return 'c call by name · l history · ? keys · q quit';
}

const dispatch = (action: Action): Intent => ({ kind: 'dispatch', action });

/** The intents of one key press on the current screen. */
export function intentsForKey(state: AppState, key: KeyPress): Intent[] {
  if (key.ctrl && key.input === 'c') return [{ kind: 'quit' }];
  if (state.screen === 'connect') return formKeys(state, key);
  if (state.screen !== 'main') return [];
  if (state.confirmQuit) return key.input === 'y' ? [{ kind: 'quit' }] : [dispatch({ type: 'quit-cancel' })];
  if (state.view !== 'main') return overlayKeys(state, key);
  if (state.prompt) {
    if (key.escape) return [dispatch({ type: 'prompt-cancel' })];
    if (key.return) {
      const name = checkName(state.prompt.value.trim());
      return name.ok ? [dispatch({ type: 'prompt-submit' }), { kind: 'call', name: name.value }] : [dispatch({ type: 'prompt-submit' })];
    }
    const next = editField(state.prompt, key);
    return next === undefined ? [] : [dispatch({ type: 'prompt-edit', value: next.value, cursor: next.cursor })];
  }
  if (state.call.incoming) {
    if (key.input === 'a' || key.input === 'y') return [{ kind: 'accept' }];
    if (key.input === 'r' || key.input === 'n') return [{ kind: 'reject' }];
    if (key.input === 'q') return [dispatch({ type: 'quit-ask' })];
    return commonKeys(key);
  }
  if (state.filter?.editing) {
    if (key.upArrow) return [dispatch({ type: 'select', delta: -1 })];
    if (key.downArrow) return [dispatch({ type: 'select', delta: 1 })];
    if (key.escape) return [dispatch({ type: 'filter-close', clear: true })];
    if (key.return) return [dispatch({ type: 'filter-close', clear: false })];
    const next = editField(state.filter, key, 32);
    return next === undefined ? [] : [dispatch({ type: 'filter-edit', value: next.value, cursor: next.cursor })];
  }
  if (key.upArrow) return [dispatch({ type: 'select', delta: -1 })];
  if (key.downArrow) return [dispatch({ type: 'select', delta: 1 })];
  if (key.input === 'q') return [isBusy(state.call) ? dispatch({ type: 'quit-ask' }) : { kind: 'quit' }];
  if (isBusy(state.call)) {
    if (key.input === 'h') return [{ kind: 'hangup' }];
    if (key.input === 'm') return [{ kind: 'mute' }];
    if (key.input === '+' || key.input === '=') return [{ kind: 'volume', delta: VOLUME_STEP }];
    if (key.input === '-') return [{ kind: 'volume', delta: -VOLUME_STEP }];
    if (key.input === 'v' && state.call.state === 'in-call' && state.call.security?.secure === true && state.call.security.sas !== null)
      return [dispatch({ type: 'sas-verified' })];
    return commonKeys(key);
  }
  if (key.return) {
    const user = state.usersStatus === 'ready' ? visibleUsers(state)[state.selected] : undefined;
    return user ? [{ kind: 'call', name: user.name }] : [];
  }
  if (key.input === 'c') return [dispatch({ type: 'prompt-open' })];
  if (key.input === '/' && state.usersStatus === 'ready') return [dispatch({ type: 'filter-open' })];
  if (key.escape && state.filter) return [dispatch({ type: 'filter-close', clear: true })];
  return commonKeys(key);
}

/** Keys that work on the main screen whatever the call does. */
function commonKeys(key: KeyPress): Intent[] {
  if (key.pageUp) return [dispatch({ type: 'log-scroll', delta: LOG_PAGE })];
  if (key.pageDown) return [dispatch({ type: 'log-scroll', delta: -LOG_PAGE })];
  if (key.input === '?') return [dispatch({ type: 'view', view: 'help' })];
  if (key.input === 'l') return [dispatch({ type: 'view', view: 'history' })];
  return [];
}

function overlayKeys(state: AppState, key: KeyPress): Intent[] {
  if (key.upArrow) return [dispatch({ type: 'overlay-scroll', delta: -1 })];
  if (key.downArrow) return [dispatch({ type: 'overlay-scroll', delta: 1 })];
  if (key.pageUp) return [dispatch({ type: 'overlay-scroll', delta: -LOG_PAGE })];
  if (key.pageDown) return [dispatch({ type: 'overlay-scroll', delta: LOG_PAGE })];
  const again = state.view === 'help' ? '?' : 'l';
  if (key.escape || key.return || key.input === again || key.input === 'q') return [dispatch({ type: 'view', view: 'main' })];
  return [];
}

function formKeys(state: AppState, key: KeyPress): Intent[] {
  if ((key.tab && !key.shift) || key.downArrow) return [dispatch({ type: 'form-focus', delta: 1 })];
  if ((key.tab && key.shift) || key.upArrow) return [dispatch({ type: 'form-focus', delta: -1 })];
  if (key.return) return [dispatch(submitsFrom(state.form.focus) ? { type: 'form-submit' } : { type: 'form-focus', delta: 1 })];
  const field = state.form.focus;
  const next = editField({ value: state.form.values[field], cursor: state.form.cursor }, key);
  return next === undefined ? [] : [dispatch({ type: 'form-edit', field, value: next.value, cursor: next.cursor })];
}

const CSI_KEYS: Readonly<Record<string, Partial<KeyPress>>> = {
  A: { upArrow: true },
  B: { downArrow: true },
  C: { rightArrow: true },
  D: { leftArrow: true },
  H: { home: true },
  F: { end: true },
  Z: { tab: true, shift: true },
  '1~': { home: true },
  '7~': { home: true },
  '4~': { end: true },
  '8~': { end: true },
  '3~': { delete: true },
  '5~': { pageUp: true },
  '6~': { pageDown: true },
};

/**
 * Splits a chunk that a terminal delivered in one read (pasted or typed fast, e.g.
 * `alice\r`, two Backspaces, text then Tab), which Ink reports as one unnamed key,
 * into every key it holds: runs of text, Enter, Tab, Backspace, Ctrl-letters and
 * escape sequences (arrows, Home/End, PgUp/PgDn, Delete, Shift-Tab).
 */
export function splitKeys(key: KeyPress): KeyPress[] {
  const named = key.return || key.tab || key.escape || key.backspace || key.delete || key.ctrl || key.meta || key.upArrow || key.downArrow;
  if (key.input.length < 2 || named || key.leftArrow || key.rightArrow || key.home || key.end || key.pageUp || key.pageDown) return [key];
  const s = key.input;
  const keys: KeyPress[] = [];
  let text = '';
  const push = (press: KeyPress): void => {
    if (text !== '') keys.push({ input: text });
    text = '';
    keys.push(press);
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i] as string;
    const code = ch.charCodeAt(0);
    if (ch === '\r' || ch === '\n') {
      push({ input: '', return: true });
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
    } else if (ch === '\t') {
      push({ input: '', tab: true });
      i++;
    } else if (ch === '\u007f') {
      // What Ink reports for DEL, the Backspace key of most terminals.
      push({ input: '', delete: true });
      i++;
    } else if (ch === '\b') {
      push({ input: '', backspace: true });
      i++;
    } else if (ch === '\u001b') {
      i = escapeSequence(s, i, push);
    } else if (code < 0x20) {
      push({ input: String.fromCharCode(code + 0x60), ctrl: true });
      i++;
    } else {
      text += ch;
      i++;
    }
  }
  if (text !== '') keys.push({ input: text });
  return keys.length === 1 && keys[0]?.input === key.input ? [key] : keys;
}

/** Reads the escape sequence at `start`, pushes its key (unknown ones are dropped); returns where the next key starts. */
function escapeSequence(s: string, start: number, push: (press: KeyPress) => void): number {
  const kind = s[start + 1];
  if (kind === '[' || kind === 'O') {
    let end = start + 2;
    while (end < s.length && /[0-9;]/.test(s[end] as string)) end++;
    if (end >= s.length) return s.length;
    const body = s.slice(start + 2, end + 1);
    const press = CSI_KEYS[body.includes(';') ? (body.at(-1) as string) : body];
    if (press) push({ input: '', ...press });
    return end + 1;
  }
  if (kind === undefined) {
    push({ input: '', escape: true, meta: true });
    return s.length;
  }
  push({ input: kind, meta: true });
  return start + 2;
}
