/**
 * Editing of a one-line text field by key presses, as a pure function: typed and
 * pasted text is appended, Backspace/Delete removes the last character.
 */

/** The key fields that matter to a text field (as Ink's `useInput` reports them). */
export interface TextKey {
  readonly input: string;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
}

// C0 controls and DEL, which terminals send for keys rather than text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** The new value after a key, or undefined when the key is not a text edit. */
export function editText(value: string, key: TextKey, maxLength = 256): string | undefined {
  if (key.backspace || key.delete) return [...value].slice(0, -1).join('');
  if (key.ctrl && key.input === 'u') return '';
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return undefined;
  const text = key.input.replace(CONTROL, '');
  if (text === '') return undefined;
  return [...(value + text)].slice(0, maxLength).join('');
}
