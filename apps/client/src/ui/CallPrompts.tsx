import { Box, Text } from 'ink';
import { TextField } from './TextField.js';

/** Props of {@link IncomingPrompt}. */
export interface IncomingPromptProps {
  readonly caller: string;
  readonly ip: string;
  readonly port: number;
}

/** Someone is calling: accept or reject. */
export function IncomingPrompt({ caller, ip, port }: IncomingPromptProps) {
  return (
    <Box borderStyle="double" borderColor="yellow" paddingX={1} flexDirection="column">
      <Text bold color="yellow">{`☎ ${caller} is calling (${ip}:${port})`}</Text>
      <Text>press a or y to accept, r or n to reject</Text>
    </Box>
  );
}

/** Props of {@link CallWhoPrompt}. */
export interface CallWhoPromptProps {
  readonly value: string;
  readonly error?: string;
}

/** The "call who?" input. */
export function CallWhoPrompt({ value, error }: CallWhoPromptProps) {
  return (
    <Box borderStyle="round" borderColor="cyan" paddingX={1} flexDirection="column">
      <Box>
        <Text>Call who? </Text>
        <TextField value={value} placeholder="name" focused />
      </Box>
      {error !== undefined && <Text color="red">{`✗ ${error}`}</Text>}
    </Box>
  );
}
