/** The terminal's size as a React hook: read from Ink's stdout, updated on resize. */
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Size } from '../layout.js';

/** The size assumed when stdout is not a terminal (piped output has no rows or columns). */
export const DEFAULT_SIZE: Size = { rows: 24, columns: 80 };

/** The size of the terminal Ink draws on; the component re-renders when it changes. */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ rows: stdout.rows || DEFAULT_SIZE.rows, columns: stdout.columns || DEFAULT_SIZE.columns });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
    // `read` only reads `stdout`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);
  return size;
}
