import { Text } from 'ink';

/** Props of {@link TextField}. */
export interface TextFieldProps {
  readonly value: string;
  readonly placeholder?: string;
  /** Shows the cursor block. */
  readonly focused: boolean;
}

/** A one-line text value with a block cursor when focused (keys are handled by the reducer). */
export function TextField({ value, placeholder = '', focused }: TextFieldProps) {
  if (value === '') {
    return (
      <Text>
        {focused ? <Text inverse> </Text> : null}
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  return (
    <Text>
      {value}
      {focused ? <Text inverse> </Text> : null}
    </Text>
  );
}
