/** A one-line text field with its cursor, as drawn (editing is `text-edit.ts`). */
import { Text } from 'ink';

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly value: string;
  /** Where the cursor is, in characters (the end when left out). */
  readonly cursor?: number;
  readonly placeholder?: string;
  /** Shows the cursor block. */
  readonly focused: boolean;
  /** Most cells the field may take; a longer value scrolls to keep the cursor in view. */
  readonly width?: number;
}

/** A one-line text value with a block cursor when focused (keys are handled by the reducer). */
export function TextField({ value, cursor, placeholder = '', focused, width }: TextFieldProps) {
  const chars = [...value];
  const at = Math.min(chars.length, Math.max(0, cursor ?? chars.length));
  if (chars.length === 0) {
    const hint = width === undefined ? placeholder : [...placeholder].slice(0, Math.max(0, width - 1)).join('');
    return (
      <Text wrap="truncate-end">
        {focused ? <Text inverse> </Text> : null}
        <Text dimColor>{hint}</Text>
      </Text>
    );
  }
  if (!focused) return <Text wrap="truncate-end">{chars.slice(0, width ?? chars.length).join('')}</Text>;
  // The cell after the text holds the cursor at the end; a long value scrolls so the cursor stays in view.
  const cells = Math.max(1, width ?? chars.length + 1);
  const seq = [...chars, ' '];
  const start = Math.max(0, Math.min(at - cells + 1, seq.length - cells));
  const end = Math.min(seq.length, start + cells);
  return (
    <Text wrap="truncate-end">
      {seq.slice(start, at).join('')}
      <Text inverse>{seq[at]}</Text>
      {seq.slice(at + 1, Math.min(end, chars.length)).join('')}
    </Text>
  );
}
