// Node API of tools/pulse/pulse.sh: a private PulseAudio server with 8 kHz mono null
// sinks, for audio tests without a sound card. The shell script is the one recipe;
// this module runs it, so CI scripts and Node callers start PulseAudio the same way.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Path of the shell recipe. */
export const PULSE_SCRIPT = fileURLToPath(new URL('./pulse.sh', import.meta.url));

/** A PulseAudio helper step that failed. `code` is stable: 'pulse-missing' | 'pulse-start' | 'pulse-stop'. */
export class PulseError extends Error {
  /** @param {'pulse-missing' | 'pulse-start' | 'pulse-stop'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'PulseError';
    this.code = code;
  }
}

/**
 * Whether the programs the recipe needs are on PATH; the missing ones otherwise.
 * @returns {Promise<{ ok: true } | { ok: false, missing: string[] }>}
 */
export async function pulseAvailable() {
  const missing = [];
  for (const program of ['pulseaudio', 'pactl', 'pacat', 'parec']) {
    if (!(await onPath(program))) missing.push(program);
  }
  return missing.length ? { ok: false, missing } : { ok: true };
}

/**
 * Starts PulseAudio in `dir` with one null sink per name (8000 Hz, mono) and waits
 * until it answers.
 * @param {{ dir: string, sinks?: string[] }} options
 * @returns {Promise<{ dir: string, env: Record<string, string>, stop: () => Promise<void> }>}
 *   `env` holds PULSE_SERVER (and PULSE_RUNTIME_PATH) for clients; add PULSE_SINK and
 *   PULSE_SOURCE (`<sink>.monitor`) per process. `stop` is idempotent.
 */
export async function startPulse({ dir, sinks = ['mic', 'spk'] }) {
  const available = await pulseAvailable();
  if (!available.ok) throw new PulseError('pulse-missing', `missing programs: ${available.missing.join(', ')} (Debian: pulseaudio pulseaudio-utils)`);
  let stdout;
  try {
    ({ stdout } = await run(PULSE_SCRIPT, ['start', dir, ...sinks], { timeout: 15_000 }));
  } catch (err) {
    throw new PulseError('pulse-start', `pulse.sh start failed: ${err.stderr || err.message}`);
  }
  /** @type {Record<string, string>} */
  const env = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  let stopped = false;
  return {
    dir,
    env,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await run(PULSE_SCRIPT, ['stop', dir], { timeout: 15_000 });
      } catch (err) {
        throw new PulseError('pulse-stop', `pulse.sh stop failed: ${err.stderr || err.message}`);
      }
    },
  };
}

/** @param {string} program */
async function onPath(program) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      await access(join(dir, program), constants.X_OK);
      return true;
    } catch {
      // Not in this directory.
    }
  }
  return false;
}

// CLI: node tools/pulse/pulse.mjs check  -> exit 0 when PulseAudio can be used.
if (import.meta.url === `file://${process.argv[1]}`) {
  const available = await pulseAvailable();
  if (!available.ok) {
    console.error(`pulse: missing ${available.missing.join(', ')}`);
    process.exit(1);
  }
  console.log('pulse: pulseaudio, pactl, pacat and parec found');
}
