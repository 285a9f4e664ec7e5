/** A scrolled, bordered view of prepared lines, under the help and history overlays. */
import { Box, Text } from 'ink';
import { scrolledLines } from '../layout.js';

/** Props of {@link Overlay}. */
export interface OverlayProps {
  readonly title: string;
  readonly lines: readonly string[];
  /** First line shown. */
  readonly scroll: number;
  /** Lines the overlay may take, border included. */
  readonly height: number;
}

/** A bordered, scrolled view of prepared lines, with where it is when not all fit. */
export function Overlay({ title, lines, scroll, height }: OverlayProps) {
  const room = Math.max(1, height - 3);
  const fits = lines.length <= room;
  const { shown, start } = scrolledLines(lines, scroll, fits ? room : room - 1);
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold wrap="truncate-end">
        {title}
      </Text>
      {shown.map((line, index) => (
        <Text key={start + index} wrap="truncate-end">
          {line}
        </Text>
      ))}
      {!fits && <Text dimColor wrap="truncate-end">{`lines ${start + 1}-${start + shown.length} of ${lines.length} · ↑↓ PgUp PgDn scroll`}</Text>}
    </Box>
  );
}
