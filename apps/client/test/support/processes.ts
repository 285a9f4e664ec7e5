import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

/** Path of the server's executable script. */
export const SERVER_BIN = fileURLToPath(new URL('../../../server/bin/voip-server.js', import.meta.url));
/** Path of the client's executable script. */
export const CLIENT_BIN = fileURLToPath(new URL('../../bin/voip-client.js', import.meta.url));

/** One JSON line printed by a `--no-tui` client (or a `--log json` server). */
export interface JsonEvent {
  readonly event?: string;
  readonly time?: number | string;
  readonly [key: string]: unknown;
}

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A waited-for condition that did not happen, with what the process said. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly code = 'wait-timeout';
}

const TAIL_LINES = 25;

/**
 * A child process started by a test: its stdout is split into lines, JSON lines are
 * parsed into {@link JsonEvent}s, stderr is kept whole. Never left running: the
 * {@link ProcessGroup} that made it kills it after the test.
 */
export class ManagedProcess {
  /** Parsed JSON lines of stdout, in order. */
  readonly events: JsonEvent[] = [];
  /** Every stdout line, JSON or not. */
  readonly lines: string[] = [];
  /** Stdout lines that are not a JSON object (the `--no-tui` contract says there are none). */
  readonly nonJsonLines: string[] = [];
  /** Everything written to stderr. */
  stderr = '';
  /** Settles once the process has exited and its output is read. */
  readonly exited: Promise<ExitStatus>;
  private status: ExitStatus | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    /** A short label for messages, e.g. `client alice`. */
    readonly label: string,
    readonly child: ChildProcess,
  ) {
    const stdout = createInterface({ input: child.stdout! });
    stdout.on('line', (line) => this.onLine(line));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr += text;
      this.notify();
    });
    const stdoutClosed = new Promise<void>((resolve) => stdout.once('close', resolve));
    this.exited = new Promise<ExitStatus>((resolve) => {
      child.once('error', (err) => {
        this.stderr += `\n[spawn error] ${err.message}`;
        this.status = { code: null, signal: null };
        this.notify();
        resolve(this.status);
      });
      child.once('close', (code, signal) => {
        void stdoutClosed.then(() => {
          this.status = { code, signal };
          this.notify();
          resolve(this.status);
        });
      });
    });
  }

  /** The exit status, or null while running. */
  get exitStatus(): ExitStatus | null {
    return this.status;
  }

  /** Index to pass as `since` to wait only for events printed from now on. */
  mark(): number {
    return this.events.length;
  }

  /** Writes one command line to the process's stdin (`call bob`, `accept`, `hangup`...). */
  send(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  /** Sends a signal to the process itself (not to what it started) if it still runs. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    if (this.status === null && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Sends a signal to the process's whole group (it is started as a group leader). */
  killGroup(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone already.
    }
  }

  /** Events with the given name (from index `since`). */
  eventsNamed(name: string, since = 0): JsonEvent[] {
    return this.events.slice(since).filter((e) => e.event === name);
  }

  /** A readable dump: exit status, stderr and the last stdout lines. */
  describe(): string {
    const status = this.status ? `exited code=${this.status.code} signal=${this.status.signal}` : 'still running';
    const tail = this.lines
      .slice(-TAIL_LINES)
      .map((l) => `    ${l}`)
      .join('\n');
    const err = this.stderr
      .trim()
      .split('\n')
      .slice(-TAIL_LINES)
      .map((l) => `    ${l}`)
      .join('\n');
    return `${this.label} (pid ${this.child.pid}, ${status})\n  last stdout lines:\n${tail || '    (none)'}\n  stderr:\n${err || '    (none)'}`;
  }

  /** Calls `listener` after every new line and on exit; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private onLine(line: string): void {
    this.lines.push(line);
    const trimmed = line.trim();
    if (trimmed.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) this.events.push(parsed as JsonEvent);
        else this.nonJsonLines.push(line);
      } catch {
        this.nonJsonLines.push(line);
      }
    } else if (trimmed !== '') {
      this.nonJsonLines.push(line);
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** Options of {@link waitForEvent}. */
export interface WaitOptions {
  /** Only consider events from this index on (see {@link ManagedProcess.mark}). */
  readonly since?: number;
  /** Words for the failure message, e.g. `"ended" with reason rejected`. */
  readonly what?: string;
}

/**
 * Resolves with the first event (from `since`) that satisfies `predicate`. Rejects with
 * a {@link WaitTimeoutError} naming the process, its exit status, its last lines and its
 * stderr when `timeoutMs` passes or the process exits first.
 */
export function waitForEvent(proc: ManagedProcess, predicate: (event: JsonEvent) => boolean, timeoutMs: number, options: WaitOptions = {}): Promise<JsonEvent> {
  const since = options.since ?? 0;
  const what = options.what ?? predicate.toString();
  return new Promise<JsonEvent>((resolve, reject) => {
    let scanned = since;
    const check = (): boolean => {
      for (; scanned < proc.events.length; scanned++) {
        const event = proc.events[scanned]!;
        if (predicate(event)) {
          finish();
          resolve(event);
          return true;
        }
      }
      if (proc.exitStatus) {
        finish();
        reject(new WaitTimeoutError(`${proc.label} exited before printing ${what}\n${proc.describe()}`));
        return true;
      }
      return false;
    };
    const timer = setTimeout(() => {
      finish();
      reject(new WaitTimeoutError(`${proc.label} did not print ${what} within ${timeoutMs} ms\n${proc.describe()}`));
    }, timeoutMs);
    const unsubscribe = proc.subscribe(() => void check());
    function finish(): void {
      clearTimeout(timer);
      unsubscribe();
    }
    check();
  });
}

/** Waits for a named event, optionally with matching fields: `waitFor(p, 'ended', {reason: 'hangup'})`. */
export function waitFor(proc: ManagedProcess, name: string, fields: Record<string, unknown> = {}, timeoutMs = 10_000, since = 0): Promise<JsonEvent> {
  const what = `"${name}" ${JSON.stringify(fields)}`;
  return waitForEvent(proc, (e) => e.event === name && Object.entries(fields).every(([k, v]) => e[k] === v), timeoutMs, { since, what });
}

/** Resolves with the exit status, or rejects (with the process's output) after `timeoutMs`. */
export async function waitForExit(proc: ManagedProcess, timeoutMs: number): Promise<ExitStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WaitTimeoutError(`${proc.label} did not exit within ${timeoutMs} ms\n${proc.describe()}`)), timeoutMs);
  });
  try {
    return await Promise.race([proc.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds of an event's `time` field (epoch number or ISO string), or NaN. */
export function eventTimeMs(event: JsonEvent): number {
  if (typeof event.time === 'number') return event.time;
  if (typeof event.time === 'string') return Date.parse(event.time);
  return NaN;
}

/** Options of {@link ProcessGroup.start}. */
export interface StartOptions {
  /** Extra environment variables (added to the test's environment). */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** Every process a test started; {@link ProcessGroup.killAll} runs in `afterEach`. */
export class ProcessGroup {
  private readonly procs: ManagedProcess[] = [];

  /** Starts `node script ...args` with stdin, stdout and stderr piped. */
  start(label: string, script: string, args: readonly string[], options: StartOptions = {}): ManagedProcess {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so that cleanup also reaches any process it starts.
      detached: true,
    });
    // A child that already exited makes writes fail with EPIPE; tests see that through its exit status.
    child.stdin!.on('error', () => {});
    const proc = new ManagedProcess(label, child);
    this.procs.push(proc);
    return proc;
  }

  /** Every process started so far. */
  get all(): readonly ManagedProcess[] {
    return this.procs;
  }

  /**
   * SIGKILLs the process group of every process started (the process and whatever it
   * started, e.g. the client's isolated audio process) and waits until each has exited
   * and closed its output.
   */
  async killAll(): Promise<void> {
    const started = this.procs.splice(0);
    for (const p of started) p.killGroup('SIGKILL');
    await Promise.all(started.map((p) => p.exited));
  }
}
