/** Renders an Ink tree on a fake terminal of a given size, for layout tests. */
import { EventEmitter } from 'node:events';
import { render, type Instance } from 'ink';
import type { ReactElement } from 'react';

/** A fake terminal output: its size can change, the last frame is kept. */
class SizedStdout extends EventEmitter {
  frames: string[] = [];
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}

const mounted: Instance[] = [];

/** What a sized render gives the test. */
export interface SizedRender {
  lastFrame(): string;
  rerender(tree: ReactElement): void;
  /** Changes the terminal's size, as a resize of the window does. */
  resize(columns: number, rows: number): void;
}

/** Renders `tree` on a `columns` x `rows` terminal. */
export function renderAt(tree: ReactElement, columns: number, rows: number): SizedRender {
  const stdout = new SizedStdout(columns, rows);
  const instance = render(tree, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new SizedStdout(columns, rows) as unknown as NodeJS.WriteStream,
    stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  mounted.push(instance);
  return {
    lastFrame: () => stdout.frames.at(-1) ?? '',
    rerender: (next) => instance.rerender(next),
    resize(nextColumns, nextRows) {
      stdout.columns = nextColumns;
      stdout.rows = nextRows;
      stdout.emit('resize');
    },
  };
}

/** Unmounts every tree rendered by {@link renderAt}. */
export function cleanupSized(): void {
  for (const instance of mounted.splice(0)) instance.unmount();
}
