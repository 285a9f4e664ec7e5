/** Real sound devices through PulseAudio null sinks, in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, startPulse, type PulseServer } from './support/pulse.js';
import { compilePackage, type CompiledPackage } from './support/transpile.js';

const pulseBinary = findExecutable('pulseaudio');
if (!pulseBinary) {
  console.warn(
    '\n*** SKIPPING the real-device test (test/device-pulseaudio.test.ts): the `pulseaudio` binary is not installed. ' +
      'Install the Debian packages pulseaudio pulseaudio-utils libasound2-plugins to run it. ***\n',
  );
}

const RATE = 8000;
const RAMP = 3 * RATE; // 3 s of samples 1, 2, ..., 24000
const PAD = RATE; // 1 s of silence each side (PulseAudio trims the edges otherwise)

/** The loop the child runs: `device` in -> pump -> `device` out, for argv[2] ms; prints JSON stats. */
const LOOP_SCRIPT = `
const media = { ...(await import(process.argv[1])), ...(await import(new URL('./internal.js', process.argv[1]).href)) };
const runMs = Number(process.argv[2]);
// Generous cushions: the assertion is about the path (nothing lost, altered or reordered),
// and a loaded test machine stalls timers now and then.
const source = await media.openAudioSource('device', { prefillFrames: 4, maxBufferedFrames: 64 });
const sink = await media.openAudioSink('device', { prefillFrames: 3, maxBufferedFrames: 64 });
const pump = media.createFramePump({ source, onFrame: (frame) => sink.writeFrame(frame) });
pump.start();
console.log('READY');
await new Promise((r) => setTimeout(r, runMs));
pump.stop();
const stats = { framesSent: pump.framesSent, framesSkipped: pump.framesSkipped, lateness: pump.lateness,
  underruns: source.underruns, sourceOverflow: source.overflowFrames, sinkOverflow: sink.overflowFrames };
await source.close();
await sink.close();
console.log('STATS ' + JSON.stringify(stats));
process.exit(0);
`;

function rampFile(path: string): void {
  const samples = new Int16Array(PAD + RAMP + PAD);
  for (let k = 0; k < RAMP; k++) samples[PAD + k] = k + 1;
  writeFileSync(path, new Uint8Array(samples.buffer));
}

function waitExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe.skipIf(!pulseBinary)('naudiodon devices through PulseAudio null sinks', () => {
  let pulse: PulseServer;
  let compiled: CompiledPackage;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    compiled = compilePackage();
    pulse = await startPulse();
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(children.map(waitExit));
    await pulse?.stop();
    compiled?.remove();
  });

  it('lists the pulse devices', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(process.argv[1]); console.log('DEVICES ' + JSON.stringify(await m.listAudioDevices()));`,
        pathToFileURL(compiled.entry).href,
      ],
      {
        env: pulse.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.resume();
    expect(await waitExit(child)).toBe(0);
    const line = out.split('\n').find((l) => l.startsWith('DEVICES '));
    const devices = JSON.parse(line!.slice('DEVICES '.length)) as Array<{ name: string; maxInputChannels: number; maxOutputChannels: number }>;
    expect(devices.map((d) => d.name)).toContain('pulse');
    expect(devices.find((d) => d.name === 'pulse')!.maxInputChannels).toBeGreaterThan(0);
  });

  it('loops a ramp fed to the microphone back out of the speaker, contiguous', async () => {
    const ramp = join(pulse.dir, 'ramp.raw');
    rampFile(ramp);
    const rawArgs = ['--raw', '--format=s16le', `--rate=${RATE}`, '--channels=1'];

    // Record the speaker first.
    const parec = spawn('parec', ['-d', 'spk.monitor', ...rawArgs], { env: pulse.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(parec);
    const recorded: Buffer[] = [];
    parec.stdout!.on('data', (d: Buffer) => recorded.push(d));
    let parecErr = '';
    parec.stderr!.on('data', (d: Buffer) => (parecErr += d.toString()));

    // The loop: device in -> device out, through our API.
    const loop = spawn(process.execPath, ['--input-type=module', '-e', LOOP_SCRIPT, pathToFileURL(compiled.entry).href, '8000'], {
      env: pulse.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(loop);
    let loopOut = '';
    let loopErr = '';
    loop.stdout!.on('data', (d: Buffer) => (loopOut += d.toString()));
    loop.stderr!.on('data', (d: Buffer) => (loopErr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = setInterval(() => {
        if (loopOut.includes('READY')) {
          clearInterval(check);
          resolve();
        } else if (loop.exitCode !== null) {
          clearInterval(check);
          reject(new Error(`loop exited early:\n${loopOut}\n${loopErr}`));
        }
      }, 20);
    });

    // Feed the microphone (5 s of audio).
    const pacat = spawn('pacat', ['-d', 'mic', ...rawArgs, ramp], { env: pulse.env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(pacat);
    let pacatErr = '';
    pacat.stderr!.on('data', (d: Buffer) => (pacatErr += d.toString()));
    expect(await waitExit(pacat), pacatErr).toBe(0);

    expect(await waitExit(loop), `${loopOut}\n${loopErr.slice(-2000)}`).toBe(0);
    parec.kill('SIGTERM');
    await waitExit(parec);

    const statsLine = loopOut.split('\n').find((l) => l.startsWith('STATS '));
    const stats = JSON.parse(statsLine!.slice('STATS '.length));
    const bytes = Buffer.concat(recorded);
    const got = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
    const start = got.indexOf(1);
    const nonZero = got.reduce((n, x) => n + (x !== 0 ? 1 : 0), 0);
    const context = `recorded ${got.length} samples (${nonZero} non-zero, max ${got.reduce((a, b) => Math.max(a, b), 0)}), ramp starts at ${start}; loop stats ${JSON.stringify(stats)}; parec: ${parecErr}`;
    expect(start, context).toBeGreaterThanOrEqual(0);
    // Every ramp value must come back exactly once, unaltered and in order; the only thing
    // tolerated is a short run of silence where the machine stalled a device (counted).
    let next = 1;
    let gaps = 0;
    let inGap = false;
    let at = start;
    for (; at < got.length && next <= RAMP; at++) {
      const v = got[at]!;
      if (v === next) {
        next++;
        inGap = false;
      } else if (v === 0) {
        if (!inGap) gaps++;
        inGap = true;
      } else {
        break;
      }
    }
    expect(next - 1, `ramp broken at sample ${at} (value ${got[at]}, expected ${next}); ${context}`).toBe(RAMP);
    if (gaps > 0) console.warn(`device loop: ramp came back whole, with ${gaps} silence gap(s) from scheduling stalls; ${context}`);
    expect(gaps, context).toBeLessThanOrEqual(2);
    // Nothing but silence after the ramp.
    expect(
      got.subarray(at).every((v) => v === 0),
      context,
    ).toBe(true);
  }, 30_000);
});
