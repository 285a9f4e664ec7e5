/**
 * Keeps the client's output clean when it drives real audio devices.
 *
 * naudiodon (PortAudio) prints with printf on the process's standard output ("Output
 * device name is ...") and ALSA writes diagnostics on standard error, from native code
 * that no JavaScript can filter. With device audio the client therefore runs itself as
 * a child process: the child's fd 1 goes to the parent's stderr (or nowhere, under the
 * terminal UI) and the child writes its real output, JSON events or the terminal UI,
 * to fd 3, which is the parent's stdout, and its own diagnostics to fd 5, the parent's
 * stderr. What the native libraries print on the child's fd 1 and 2 (dozens of ALSA
 * and JACK lines on a machine without a sound card, before the one message that says
 * what to pass instead) is kept back, and shown only when the child dies of a bug or
 * a signal, to diagnose it.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { writeSync } from 'node:fs';
import { isatty, WriteStream } from 'node:tty';

/** Set in the child: the file descriptor of the real standard output. */
export const OUTPUT_FD_ENV = 'VOIP_CLIENT_OUTPUT_FD';
/** Set in the child: the file descriptor of the client's own diagnostics (the real stderr). */
export const DIAGNOSTICS_FD_ENV = 'VOIP_CLIENT_DIAGNOSTICS_FD';

/** Whether an audio spec names a naudiodon device (`device` or `device:NAME`). */
export function isDeviceSpec(spec: string): boolean {
  return spec === 'device' || spec.startsWith('device:');
}

/** Whether either direction uses a naudiodon device. */
export function usesDeviceAudio(options: { readonly audioIn: string; readonly audioOut: string }): boolean {
  return isDeviceSpec(options.audioIn) || isDeviceSpec(options.audioOut);
}

/** In the child, the fd of the real standard output; undefined in a plain process. */
export function isolatedOutputFd(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[OUTPUT_FD_ENV];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Where the client's own diagnostics go: fd 5 in the child, else stderr. */
export function diagnosticsOut(env: NodeJS.ProcessEnv = process.env): { write(text: string): boolean } {
  const value = env[DIAGNOSTICS_FD_ENV];
  return value !== undefined && /^\d+$/.test(value) ? fdTextOut(Number(value)) : process.stderr;
}

/** A synchronous text writer on a file descriptor, for JSON event lines. */
export function fdTextOut(fd: number): { write(text: string): boolean } {
  return {
    write(text: string): boolean {
      writeSync(fd, text);
      return true;
    },
  };
}

/** A terminal stream on a file descriptor for Ink, or undefined when it is not a terminal. */
export function fdTerminal(fd: number): WriteStream | undefined {
  return isatty(fd) ? new WriteStream(fd) : undefined;
}

const MAX_KEPT_STDERR = 64 * 1024;

/**
 * In the child: when the parent dies, even by SIGKILL, the operating system closes
 * the IPC channel; the child then ends as on SIGTERM (hang up, unregister, exit), so
 * no call or audio device outlives the client the user started.
 */
export function watchParent(): void {
  if (!process.connected) return;
  process.channel?.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/**
 * Runs this same script again as a child with its output isolated, forwards
 * signals, and resolves to the child's exit code. Under the terminal UI the child's
 * stderr is held back while the UI owns the screen and printed once it exits.
 */
export function runIsolated(script: string, argv: readonly string[], tui: boolean): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    // fd 4 is an IPC channel used only to notice the parent's death (see watchParent).
    // fd 5: the client's own diagnostics; under the TUI they wait until the screen is released.
    stdio: ['inherit', 'pipe', 'pipe', 1, 'ipc', tui ? 'pipe' : 2],
    env: { ...process.env, [OUTPUT_FD_ENV]: '3', [DIAGNOSTICS_FD_ENV]: '5' },
  });
  let heldDiagnostics = '';
  let nativeOutput = '';
  const keep = (text: string, chunk: Buffer): string => (text + chunk.toString('utf8')).slice(-MAX_KEPT_STDERR);
  (child.stdio as unknown as ReadonlyArray<Readable | null>)[5]?.on('data', (chunk: Buffer) => (heldDiagnostics = keep(heldDiagnostics, chunk)));
  child.stdout?.on('data', (chunk: Buffer) => (nativeOutput = keep(nativeOutput, chunk)));
  child.stderr?.on('data', (chunk: Buffer) => (nativeOutput = keep(nativeOutput, chunk)));
  // A terminal delivers Ctrl-C to the whole foreground group, child included: only
  // forward SIGINT when it cannot have come from a terminal. SIGTERM always.
  const forwardInt = (): void => {
    if (!process.stdin.isTTY) child.kill('SIGINT');
  };
  const forwardTerm = (): void => {
    child.kill('SIGTERM');
  };
  process.on('SIGINT', forwardInt);
  process.on('SIGTERM', forwardTerm);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`voip-client: cannot start the audio process: ${error.message}\n`);
      resolve(2);
    });
    child.once('close', (code, signal) => {
      process.off('SIGINT', forwardInt);
      process.off('SIGTERM', forwardTerm);
      if (heldDiagnostics) process.stderr.write(heldDiagnostics);
      if ((signal || code === 3) && nativeOutput) process.stderr.write(`voip-client: what the audio process printed last:\n${nativeOutput}`);
      if (signal) process.stderr.write(`voip-client: the audio process was killed by ${signal}\n`);
      resolve(code ?? 3);
    });
  });
}
