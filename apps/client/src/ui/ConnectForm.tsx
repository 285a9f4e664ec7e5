import { Box, Text } from 'ink';
import { FORM_FIELDS, formServer, type FormField, type FormState } from '../app-state.js';
import { TextField } from './TextField.js';

/** Props of {@link ConnectForm}. */
export interface ConnectFormProps {
  readonly form: FormState;
  /** True while the connection is being made: inputs are frozen. */
  readonly connecting: boolean;
}

const LABELS: Readonly<Record<FormField, string>> = { host: 'Server IP or host', port: 'Server port', name: 'Your name' };
const PLACEHOLDERS: Readonly<Record<FormField, string>> = { host: 'e.g. 127.0.0.1', port: 'e.g. 10000', name: 'e.g. alice' };

/** The connect form: server, port and name, each with its reason when refused. */
export function ConnectForm({ form, connecting }: ConnectFormProps) {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>voip · connect to a directory</Text>
      {FORM_FIELDS.map((field) => (
        <Box key={field} flexDirection="column">
          <Box>
            <Text color={form.focus === field && !connecting ? 'cyan' : undefined}>{`${form.focus === field ? '›' : ' '} ${LABELS[field].padEnd(18)} `}</Text>
            <TextField value={form.values[field]} placeholder={PLACEHOLDERS[field]} focused={form.focus === field && !connecting} />
          </Box>
          {form.errors[field] !== undefined && <Text color="red">{`    ✗ ${form.errors[field]}`}</Text>}
        </Box>
      ))}
      {connecting && <Text color="yellow">{`connecting to ${formServer(form)} as ${form.values.name}...`}</Text>}
      {!connecting && form.failure !== undefined && <Text color="red">{`✗ ${form.failure}`}</Text>}
    </Box>
  );
}
