/** The connect form screen: directory address, name and UDP port, sized to the terminal. */
import { Box, Text } from 'ink';
import { FORM_FIELDS, formServer, type FormField, type FormState } from '../app-state.js';
import { RESERVED_ROWS, wrapText, type Size } from '../layout.js';
import { TextField } from './TextField.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Props of {@link ConnectForm}. */
export interface ConnectFormProps {
  readonly form: FormState;
  /** True while the connection is being made: inputs are frozen. */
  readonly connecting: boolean;
}

const LABELS: Readonly<Record<FormField, string>> = { host: 'Server IP or host', port: 'Server port', name: 'Your name', udpPort: 'Your UDP port' };
const PLACEHOLDERS: Readonly<Record<FormField, string>> = {
  host: 'e.g. 127.0.0.1 or voip.lan:443',
  port: 'e.g. 10000',
  name: 'e.g. alice',
  udpPort: 'empty: --udp-port (5001)',
};
const LABEL_WIDTH = 18;
/** Marker, label and the space after it. */
const FIELD_START = 2 + LABEL_WIDTH + 1;
const ERROR_INDENT = '    ✗ ';

/** The connect form: server, port, name and UDP port, each with its reason when refused; fits the terminal. */
export function ConnectForm({ form, connecting }: ConnectFormProps) {
  const size = useTerminalSize();
  const { errors, notice } = formLines(form, connecting, size);
  return (
    <Box flexDirection="column" width={size.columns}>
      <Text bold wrap="truncate-end">
        voip · connect to a directory
      </Text>
      {FORM_FIELDS.map((field) => (
        <Box key={field} flexDirection="column">
          <Box>
            <Text color={form.focus === field && !connecting ? 'cyan' : undefined}>{`${form.focus === field ? '›' : ' '} ${LABELS[field].padEnd(LABEL_WIDTH)} `}</Text>
            <TextField
              value={form.values[field]}
              cursor={form.focus === field ? form.cursor : undefined}
              placeholder={PLACEHOLDERS[field]}
              focused={form.focus === field && !connecting}
              width={Math.max(1, size.columns - FIELD_START)}
            />
          </Box>
          {(errors[field] ?? []).map((line, index) => (
            <Text key={index} color="red" wrap="truncate-end">
              {line}
            </Text>
          ))}
        </Box>
      ))}
      {notice.map((line, index) => (
        <Text key={index} color={connecting ? 'yellow' : 'red'} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** The error and notice lines of the form, cut to the height of the terminal. */
export function formLines(form: FormState, connecting: boolean, size: Size): { errors: Partial<Record<FormField, string[]>>; notice: string[] } {
  const width = size.columns;
  const room = Math.max(0, size.rows - RESERVED_ROWS - 1 - FORM_FIELDS.length);
  const wrapError = (text: string) => wrapText(`${ERROR_INDENT}${text}`, width, ERROR_INDENT.length);
  let errors: Partial<Record<FormField, string[]>> = {};
  for (const field of FORM_FIELDS) {
    const text = form.errors[field];
    if (text !== undefined) errors[field] = wrapError(text);
  }
  const noticeText = connecting ? `connecting to ${formServer(form)} as ${form.values.name}...` : form.failure === undefined ? undefined : `✗ ${form.failure}`;
  let notice = noticeText === undefined ? [] : wrapText(noticeText, width, 2);
  const count = () => Object.values(errors).reduce((n, lines) => n + (lines?.length ?? 0), 0) + notice.length;
  // Too little room: one line per reason (the rest cut), then the reasons alone.
  if (count() > room) errors = Object.fromEntries(Object.entries(errors).map(([field, lines]) => [field, lines.slice(0, 1)]));
  if (count() > room) notice = notice.slice(0, Math.max(0, room - count() + notice.length));
  return { errors, notice };
}
