/** Runs the built `voip-server` executable as a child process and reads its output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `voip-server` executable of this package (runs `dist/`: build first). */
export const SERVER_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'voip-server.js');

/** A `voip-server` process under test. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Waits until stdout holds a line matching `pattern`; returns the match. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/**
 * Spawns `voip-server` with arguments; stdin is closed, stdout and stderr are collected.
 * `nodeArgs` go to Node itself, before the script (e.g. `--import` of a fault to inject).
 */
export function spawnServer(args: readonly string[], cwd?: string, nodeArgs: readonly string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...nodeArgs, SERVER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const listener of [...listeners]) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (const line of out.split('\n')) {
            const match = pattern.exec(line);
            if (match) {
              done();
              resolve(match);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} in time; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onExit = () => {
          done();
          reject(new Error(`server exited before printing ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', onExit);
        };
        listeners.add(check);
        child.once('exit', onExit);
        check();
      });
    },
  };
}
