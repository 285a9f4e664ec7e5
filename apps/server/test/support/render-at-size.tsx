/** Renders an Ink tree with ink-testing-library on a fake terminal of a chosen size. */
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';

/** What {@link renderAtSize} gives back: ink-testing-library's instance. */
export type SizedRender = ReturnType<typeof render>;

/**
 * ink-testing-library's terminal is always 100 columns and has no rows: this one is
 * `columns` x `rows`. The tree is mounted after the size is set, so components that
 * read `stdout.columns`/`stdout.rows` on mount see it, and Ink lays out at that width.
 */
export function renderAtSize(tree: ReactElement, columns: number, rows: number): SizedRender {
  const instance = render(<></>);
  Object.defineProperty(instance.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(instance.stdout, 'rows', { value: rows, configurable: true });
  instance.rerender(tree);
  return instance;
}

/** The lines of a frame that are wider than `columns`, or more lines than `rows`: empty when it fits. */
export function misfits(frame: string, columns: number, rows: number): string[] {
  const lines = frame.split('\n');
  const wide = lines.filter((line) => [...line].length > columns).map((line) => `${[...line].length} > ${columns}: ${line}`);
  return lines.length > rows ? [...wide, `${lines.length} lines > ${rows}`] : wide;
}
