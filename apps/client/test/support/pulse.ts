import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The workspace's PulseAudio recipe. The tests run the script (a process boundary)
 * rather than import `tools/pulse/pulse.mjs`, since a project's tests import nothing
 * from outside the project.
 */
export const PULSE_SCRIPT = fileURLToPath(new URL('../../../../tools/pulse/pulse.sh', import.meta.url));

/** Programs the device test needs that are not on PATH. */
export function missingPulsePrograms(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return ['pulseaudio', 'pactl', 'pacat', 'parec'].filter((p) => !dirs.some((d) => existsSync(join(d, p))));
}

/** A private PulseAudio server started by {@link startPulse}. */
export interface PulseServer {
  /** PULSE_SERVER and friends, to add to a process's environment. */
  readonly env: Record<string, string>;
  /** Environment routing one process to a speaker sink and a microphone sink. */
  route(speaker: string, microphone: string): Record<string, string>;
  /** Stops the server and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
}

/** Starts PulseAudio in `dir` with 8 kHz mono null sinks named `sinks` (tools/pulse/pulse.sh). */
export async function startPulse(dir: string, sinks: readonly string[]): Promise<PulseServer> {
  const { stdout } = await run(PULSE_SCRIPT, ['start', dir, ...sinks], { timeout: 20_000 });
  const env: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (!env.PULSE_SERVER) throw new Error(`pulse.sh printed no PULSE_SERVER: ${stdout}`);
  let stopped = false;
  return {
    env,
    route: (speaker, microphone) => ({ ...env, PULSE_SINK: speaker, PULSE_SOURCE: `${microphone}.monitor` }),
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(PULSE_SCRIPT, ['stop', dir], { timeout: 20_000 });
    },
  };
}

/** Raw 8 kHz mono s16le arguments for pacat/parec. */
export const RAW_FORMAT_ARGS = ['--raw', '--format=s16le', '--rate=8000', '--channels=1'];

/**
 * Buffering asked by pacat (a sink input) and parec (a monitor's reader). A null sink
 * renders in blocks as long as the largest buffering asked of it: pacat/parec's
 * default (about 2 s) makes a low-latency client's microphone get 2 s bursts after
 * gaps (audio dropped) and its speaker refuse frames; 20 ms underruns or overruns on a
 * loaded machine. The recorder gets a little more room than the player: an overrun
 * there loses samples that the client did deliver.
 */
export const PACAT_LATENCY_ARGS = ['--latency-msec=100'];
/** See {@link PACAT_LATENCY_ARGS}. */
export const PAREC_LATENCY_ARGS = ['--latency-msec=250'];

/** Starts `pacat -d SINK --raw FILE` (plays a raw file into a sink, e.g. a microphone). */
export function pacat(env: Record<string, string>, sink: string, file: string): ChildProcess {
  return spawn('pacat', ['-d', sink, ...RAW_FORMAT_ARGS, ...PACAT_LATENCY_ARGS, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Starts `parec -d SOURCE --raw FILE` (records a source, e.g. `spk_b.monitor`, to a raw file). */
export function parec(env: Record<string, string>, source: string, file: string): ChildProcess {
  return spawn('parec', ['-d', source, ...RAW_FORMAT_ARGS, ...PAREC_LATENCY_ARGS, file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** Resolves with the exit code (or signal name) once `child` has exited. */
export function childExit(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
