/** The prompts over the main screen: an incoming call to answer, and "call who?". */
import { Box, Text } from 'ink';
import { incomingLines, wrapText } from '../layout.js';
import { TextField } from './TextField.js';

/** Props of {@link IncomingPrompt}. */
export interface IncomingPromptProps {
  readonly caller: string;
  readonly ip: string;
  readonly port: number;
  /** Inner width, in cells. */
  readonly width: number;
}

/** Lines an incoming-call prompt takes, border included. */
export function incomingPromptHeight(props: IncomingPromptProps): number {
  return incomingLines(props.caller, props.ip, props.port, props.width).length + 2;
}

/** Someone is calling: who, and the keys to accept or reject, always together. */
export function IncomingPrompt(props: IncomingPromptProps) {
  const lines = incomingLines(props.caller, props.ip, props.port, props.width);
  return (
    <Box borderStyle="double" borderColor="yellow" paddingX={1} flexDirection="column">
      {lines.map((line, index) => (
        <Text key={index} bold={index === 0} color={index === 0 ? 'yellow' : undefined} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}

/** Props of {@link CallWhoPrompt}. */
export interface CallWhoPromptProps {
  readonly value: string;
  readonly cursor: number;
  readonly error?: string;
  /** Inner width, in cells. */
  readonly width: number;
}

const LABEL = 'Call who? ';

/** The lines of the prompt's reason. */
function errorLines(error: string | undefined, width: number): string[] {
  return error === undefined ? [] : wrapText(`✗ ${error}`, width, 2);
}

/** Lines the call-who prompt takes, border included. */
export function callWhoHeight(props: CallWhoPromptProps): number {
  return 3 + errorLines(props.error, props.width).length;
}

/** The "call who?" input. */
export function CallWhoPrompt({ value, cursor, error, width }: CallWhoPromptProps) {
  return (
    <Box borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column">
      <Box>
        <Text>{LABEL}</Text>
        <TextField value={value} cursor={cursor} placeholder="name" focused width={Math.max(1, width - LABEL.length)} />
      </Box>
      {errorLines(error, width).map((line, index) => (
        <Text key={index} color="red" wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
