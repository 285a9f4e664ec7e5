/**
 * A throwaway PulseAudio server with two null sinks, for real-time device tests on a
 * machine without a sound card. Copy this file to use the recipe elsewhere.
 *
 * - sink `spk`: what a program plays; record it from `spk.monitor` (`parec`);
 * - sink `mic`: feed it with `pacat -d mic`; a program captures it from `mic.monitor`.
 *
 * A program routed with `pulseEnv(server)` (PULSE_SERVER, PULSE_SINK=spk,
 * PULSE_SOURCE=mic.monitor) sees PortAudio devices `pulse` and `default`. PortAudio
 * reads these variables when it loads, so set them before naudiodon is imported
 * (a child process is simplest).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The PulseAudio binary, or undefined when it is not installed. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A running PulseAudio server. */
export interface PulseServer {
  /** Temporary runtime directory (socket, logs). */
  readonly dir: string;
  /** Value for PULSE_SERVER, e.g. `unix:/tmp/voip-pulse-x/native`. */
  readonly server: string;
  /** Environment routing a process to the null sinks. */
  readonly env: NodeJS.ProcessEnv;
  /** The server's own log so far (for failure messages). */
  log(): string;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** The environment that routes a process's playback to `spk` and capture to `mic.monitor`. */
export function pulseEnv(server: string, dir: string): NodeJS.ProcessEnv {
  return { ...process.env, PULSE_SERVER: server, PULSE_SINK: 'spk', PULSE_SOURCE: 'mic.monitor', XDG_RUNTIME_DIR: dir, HOME: dir };
}

/** Starts PulseAudio with the `spk` and `mic` null sinks at 8000 Hz mono; resolves once its socket answers. */
export async function startPulse(options: { timeoutMs?: number } = {}): Promise<PulseServer> {
  const dir = mkdtempSync(join(tmpdir(), 'voip-pulse-'));
  const socket = join(dir, 'native');
  const logPath = join(dir, 'pulse.log');
  const logFd = openSync(logPath, 'w');
  const child: ChildProcess = spawn(
    'pulseaudio',
    [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--use-pid-file=no',
      '-L',
      `module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      '-L',
      'module-null-sink sink_name=spk rate=8000 channels=1',
      '-L',
      'module-null-sink sink_name=mic rate=8000 channels=1',
    ],
    { env: { ...process.env, XDG_RUNTIME_DIR: dir, HOME: dir }, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const server = `unix:${socket}`;
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  let exited = false;
  child.on('exit', () => (exited = true));
  const stop = async () => {
    if (!exited) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (exited) {
      const text = log();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`pulseaudio exited at start:\n${text}`);
    }
    if (existsSync(socket)) {
      const probe = spawnSync('pactl', ['list', 'short', 'sinks'], { env: pulseEnv(server, dir), encoding: 'utf8', timeout: 5000 });
      if (probe.status === 0 && probe.stdout.includes('spk') && probe.stdout.includes('mic')) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pulseaudio did not become ready:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { dir, server, env: pulseEnv(server, dir), log, stop };
}
