import { Box, Text } from 'ink';
import type { LogLine } from '../app-state.js';

/** Props of {@link LogPane}. */
export interface LogPaneProps {
  readonly lines: readonly LogLine[];
  /** How many of the last lines to show. */
  readonly height?: number;
}

const COLOR: Readonly<Record<LogLine['level'], string | undefined>> = { info: undefined, warn: 'yellow', error: 'red' };

/** The last lines of the log. */
export function LogPane({ lines, height = 6 }: LogPaneProps) {
  const shown = lines.slice(-height);
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>Log</Text>
      {shown.length === 0 && <Text dimColor>(empty)</Text>}
      {shown.map((line, index) => (
        <Text key={lines.length - shown.length + index} color={COLOR[line.level]}>
          {line.message}
        </Text>
      ))}
    </Box>
  );
}
