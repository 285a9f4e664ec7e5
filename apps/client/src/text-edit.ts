/**
 * Editing of a one-line text field by key presses, as a pure function of the
 * value, its cursor and the key: text is inserted at the cursor, Backspace removes
 * the character before it, Ctrl-D the one under it, arrows and Home/End move it.
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
  readonly home?: boolean;
  readonly end?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
}

/** A field's text and where its cursor is, in characters (code points) from the start. */
export interface TextValue {
  readonly value: string;
  readonly cursor: number;
}

// C0 controls and DEL, which terminals send for keys rather than text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** A value with its cursor at the end. */
export function atEnd(value: string): TextValue {
  return { value, cursor: [...value].length };
}

/**
 * The field after a key, or undefined when the key is not for a text field.
 * Ink reports the Backspace key (DEL) and the Delete key alike as `delete`, so both
 * remove the character before the cursor; Ctrl-D removes the one under it.
 */
export function editField(field: TextValue, key: TextKey, maxLength = 256): TextValue | undefined {
  const chars = [...field.value];
  const cursor = Math.min(chars.length, Math.max(0, field.cursor));
  const at = (value: string[], next: number): TextValue => ({ value: value.join(''), cursor: next });
  if (key.backspace || key.delete) return cursor === 0 ? at(chars, 0) : at([...chars.slice(0, cursor - 1), ...chars.slice(cursor)], cursor - 1);
  if (key.ctrl && key.input === 'd') return at([...chars.slice(0, cursor), ...chars.slice(cursor + 1)], cursor);
  if (key.ctrl && key.input === 'u') return { value: '', cursor: 0 };
  if (key.leftArrow) return at(chars, Math.max(0, cursor - 1));
  if (key.rightArrow) return at(chars, Math.min(chars.length, cursor + 1));
  if (key.home || (key.ctrl && key.input === 'a')) return at(chars, 0);
  if (key.end || (key.ctrl && key.input === 'e')) return at(chars, chars.length);
  if (key.ctrl || key.meta || key.return || key.escape || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  const text = [...key.input.replace(CONTROL, '')];
  if (text.length === 0) return undefined;
  const room = Math.max(0, maxLength - chars.length);
  const inserted = text.slice(0, room);
  return at([...chars.slice(0, cursor), ...inserted, ...chars.slice(cursor)], cursor + inserted.length);
}
