/** The log pane: timestamped lines, wrapped to the width, scrolled with PgUp/PgDn. */
import { Box, Text } from 'ink';
import type { LogLine } from '../app-state.js';
import { formatClock } from '../format.js';
import { wrapText } from '../layout.js';

/** Props of {@link LogPane}. */
export interface LogPaneProps {
  readonly lines: readonly LogLine[];
  /** Lines of text shown (the border and header not counted). */
  readonly height: number;
  /** Inner width, in cells. */
  readonly width: number;
  /** Entries scrolled back from the newest. */
  readonly scroll: number;
}

const COLOR: Readonly<Record<LogLine['level'], string | undefined>> = { info: undefined, warn: 'yellow', error: 'red' };
/** `hh:mm:ss ` before each message. */
const STAMP = 9;

/** `text` with its end replaced by `…` so that it fits `width` and shows it goes on. */
function ellipsis(text: string, width: number): string {
  const chars = [...text];
  return chars.length < width ? `${text}…` : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** The log's newest lines (or older ones, scrolled back with PgUp), each with its time. */
export function LogPane({ lines, height, width, scroll }: LogPaneProps) {
  const upTo = Math.max(0, lines.length - scroll);
  const rows: { key: string; level: LogLine['level']; text: string }[] = [];
  // Wrap from the newest entry backwards until the pane is full.
  for (let index = upTo - 1; index >= 0 && rows.length < height; index--) {
    const line = lines[index] as LogLine;
    const wrapped = wrapText(`${formatClock(line.at)} ${line.message}`, width, STAMP);
    // An entry taller than the room left shows its beginning (time first), cut with an ellipsis.
    const room = height - rows.length;
    const shown = wrapped.length <= room ? wrapped : [...wrapped.slice(0, room - 1), ellipsis(wrapped[room - 1] as string, width)];
    rows.unshift(...shown.map((text, part) => ({ key: `${index}.${part}`, level: line.level, text })));
  }
  const back = scroll > 0 ? ` · ${scroll} back, PgDn for newer` : lines.length > 0 ? ' · PgUp for older' : '';
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold wrap="truncate-end">
        Log<Text dimColor>{back}</Text>
      </Text>
      {rows.length === 0 && <Text dimColor>(empty)</Text>}
      {rows.map((row) => (
        <Text key={row.key} color={COLOR[row.level]} wrap="truncate-end">
          {row.text}
        </Text>
      ))}
    </Box>
  );
}
