import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { freeUdpPort, LOOPBACK } from './ports.js';
import { CLIENT_BIN, ManagedProcess, ProcessGroup, SERVER_BIN, WaitTimeoutError, type StartOptions } from './processes.js';

/** Generous waits: the machine is shared and processes start in ~0.5 s. */
export const START_TIMEOUT_MS = 15_000;

/** A running directory server. */
export interface ServerHandle {
  readonly proc: ManagedProcess;
  /** The TCP port it listens on, parsed from its "listening" log line. */
  readonly port: number;
  /** `127.0.0.1:PORT`, for `--server`. */
  readonly address: string;
}

/** Options of {@link E2e.client}, mapped one to one on the client's CLI flags. */
export interface ClientOptions {
  readonly name: string;
  readonly server: string;
  readonly udpPort?: number;
  /** `--audio-in`; default `silence`. */
  readonly audioIn?: string;
  /** `--audio-out`; default `null`. */
  readonly audioOut?: string;
  readonly autoAnswer?: boolean;
  /** `--classic-only`: calls in the classic form (the 1024-byte datagrams of 2023). */
  readonly classicOnly?: boolean;
  readonly call?: string;
  readonly hangupAfterS?: number;
  readonly exitAfterCall?: boolean;
  readonly ringTimeoutS?: number;
  readonly silenceTimeoutS?: number;
  /** Flags appended as they are. */
  readonly extraArgs?: readonly string[];
  readonly env?: Record<string, string>;
}

/** A running client and the UDP port it was given. */
export interface ClientHandle {
  readonly proc: ManagedProcess;
  readonly name: string;
  readonly udpPort: number;
  /** Its XDG_CONFIG_HOME: the call history is `voip/history.json` under it. */
  readonly configDir: string;
}

/**
 * Finds the TCP port in a server's "listening" line: a JSON line with a numeric
 * `port` (top level or under `address`), or text such as `listening on 127.0.0.1:4242`.
 * Returns null for any other line.
 */
export function parseListeningPort(line: string): number | null {
  if (!/listening/i.test(line)) return null;
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    for (const candidate of [parsed.port, (parsed.address as Record<string, unknown> | undefined)?.port]) {
      if (typeof candidate === 'number' && candidate > 0) return candidate;
    }
  } catch {
    // Not JSON: fall back to the text.
  }
  const m = /(?:port\D{0,4}|:)(\d{2,5})\b/i.exec(line);
  return m ? Number(m[1]) : null;
}

/** The CLI arguments of a client. */
export function clientArgs(o: ClientOptions & { udpPort: number }): string[] {
  const args = ['--no-tui', '--server', o.server, '--name', o.name, '--udp-port', String(o.udpPort)];
  args.push('--audio-in', o.audioIn ?? 'silence', '--audio-out', o.audioOut ?? 'null');
  if (o.autoAnswer) args.push('--auto-answer');
  if (o.classicOnly) args.push('--classic-only');
  if (o.call !== undefined) args.push('--call', o.call);
  if (o.hangupAfterS !== undefined) args.push('--hangup-after', String(o.hangupAfterS));
  if (o.exitAfterCall) args.push('--exit-after-call');
  if (o.ringTimeoutS !== undefined) args.push('--ring-timeout', String(o.ringTimeoutS));
  if (o.silenceTimeoutS !== undefined) args.push('--silence-timeout', String(o.silenceTimeoutS));
  args.push(...(o.extraArgs ?? []));
  return args;
}

/**
 * What one end-to-end test uses: starts servers and clients, makes temp dirs, and
 * registers cleanups. Every process is SIGKILLed and every temp dir removed in
 * `afterEach`, whatever the test's outcome.
 */
export class E2e {
  readonly procs = new ProcessGroup();
  private readonly dirs: string[] = [];
  private readonly cleanups: Array<() => Promise<void> | void> = [];

  /** Starts `voip-server --no-tui --port 0 --db memory --log json` and waits for its port. */
  async server(extraArgs: readonly string[] = [], options: StartOptions = {}): Promise<ServerHandle> {
    const proc = this.procs.start('server', SERVER_BIN, ['--no-tui', '--port', '0', '--db', 'memory', '--log', 'json', ...extraArgs], options);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new WaitTimeoutError(`server printed no "listening" line with a port within ${START_TIMEOUT_MS} ms\n${proc.describe()}`));
      }, START_TIMEOUT_MS);
      const check = (): void => {
        for (const line of [...proc.lines, ...proc.stderr.split('\n')]) {
          const port = parseListeningPort(line);
          if (port !== null) {
            done();
            resolve(port);
            return;
          }
        }
        if (proc.exitStatus) {
          done();
          reject(new WaitTimeoutError(`server exited before listening\n${proc.describe()}`));
        }
      };
      const unsubscribe = proc.subscribe(check);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
      }
      check();
    });
    return { proc, port, address: `${LOOPBACK}:${port}` };
  }

  /**
   * Starts a client with `--no-tui` (a free UDP port unless one is given), with a
   * config folder of its own (XDG_CONFIG_HOME, for its call history) under a temp dir.
   */
  async client(options: ClientOptions): Promise<ClientHandle> {
    const udpPort = options.udpPort ?? (await freeUdpPort());
    const configDir = await this.tempDir('voip-config-');
    const env = { XDG_CONFIG_HOME: configDir, ...options.env };
    const proc = this.procs.start(`client ${options.name}`, CLIENT_BIN, clientArgs({ ...options, udpPort }), { env });
    return { proc, name: options.name, udpPort, configDir };
  }

  /** A fresh temp dir, removed after the test. */
  async tempDir(prefix = 'voip-e2e-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Runs `fn` after the test, before processes are killed; cleanups run in reverse order. */
  onCleanup(fn: () => Promise<void> | void): void {
    this.cleanups.push(fn);
  }

  /** Kills processes, runs cleanups, removes temp dirs. Called by {@link useE2e}'s `afterEach`. */
  async dispose(): Promise<void> {
    const errors: unknown[] = [];
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    await this.procs.killAll();
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    if (errors.length) throw new AggregateError(errors, 'end-to-end cleanup failed');
  }
}

/** Creates the {@link E2e} fixture of a test file and disposes of it after each test. */
export function useE2e(): E2e {
  const e2e = new E2e();
  afterEach(async () => {
    await e2e.dispose();
  }, 30_000);
  return e2e;
}
