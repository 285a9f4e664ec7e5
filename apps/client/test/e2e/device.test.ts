/**
 * End-to-end with real audio devices: two real clients use `--audio-in device
 * --audio-out device`, each routed to its own PulseAudio null sinks (mic_a/spk_a,
 * mic_b/spk_b). A padded ramp played into A's microphone must be heard, contiguous,
 * on B's speaker. Needs PulseAudio (Debian: pulseaudio pulseaudio-utils
 * libasound2-plugins); skipped, loudly, only when `pulseaudio` is absent.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { waitFor, waitForEvent, waitForExit } from '../support/processes.js';
import { childExit, missingPulsePrograms, pacat, parec, startPulse } from '../support/pulse.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';
import { firstNonSilent, padWithSilence, rampRuns, rampSignal, s16leFromSamples, samplesFromS16le } from '../support/wav.js';

const missing = missingPulsePrograms();
const noPulse = missing.includes('pulseaudio');
if (noPulse) {
  console.warn(
    '\n*** SKIPPED: the PulseAudio device test needs `pulseaudio`, which is not installed.' +
      '\n*** Install Debian pulseaudio pulseaudio-utils libasound2-plugins to run it. ***\n',
  );
}

const RATE = 8000;
/** 3 s ramp, -12000 up by 1 a sample: every sample differs from its neighbour. */
const RAMP = rampSignal(3 * RATE, -12000, 1);
/** 1 s of silence each side (without it PulseAudio cuts the ends: MACHINE-NOTES). */
const PADDED = padWithSilence(RAMP, RATE, RATE);

describe.skipIf(noPulse)('real devices on PulseAudio null sinks', () => {
  const e2e = useE2e();

  // Classic calls: this pins the device path bit for bit. A v2 call's adaptive jitter
  // buffer may drop a frame to shrink its delay after a burst of jitter (a loaded
  // machine makes some), which splits the ramp by design; secure media's own UDP tests
  // count those splices.
  // Real time on a shared 2-core machine: when other test files load it, PulseAudio's
  // ALSA path now and then loses a few dozen samples (never a whole 512-sample frame,
  // so not the client's doing). One retry absorbs that; two failures in a row are real.
  it("a ramp played into A's microphone is heard, contiguous, on B's speaker", { retry: 1, timeout: 60_000 }, async () => {
    expect(missing, 'pulseaudio is installed but its tools are missing').toEqual([]);
    const dir = await e2e.tempDir('voip-pulse-');
    const pulse = await startPulse(join(dir, 'pulse'), ['mic_a', 'spk_a', 'mic_b', 'spk_b']);
    e2e.onCleanup(() => pulse.stop());

    const server = await e2e.server();
    const bob = await e2e.client({
      name: 'bob',
      server: server.address,
      audioIn: 'device',
      audioOut: 'device',
      autoAnswer: true,
      classicOnly: true,
      env: pulse.route('spk_b', 'mic_b'),
    });
    await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
    const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'device', audioOut: 'device', classicOnly: true, env: pulse.route('spk_a', 'mic_a') });
    await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);
    alice.proc.send('call bob');
    await waitFor(alice.proc, 'connected', { peer: 'bob' }, 10_000);
    await waitFor(bob.proc, 'connected', { peer: 'alice' }, 10_000);

    const rampFile = join(dir, 'ramp.raw');
    const recordFile = join(dir, 'spk_b.raw');
    await writeFile(rampFile, s16leFromSamples(PADDED));
    const recorder = parec(pulse.env, 'spk_b.monitor', recordFile);
    e2e.onCleanup(async () => {
      recorder.kill('SIGKILL');
      await childExit(recorder);
    });
    await sleep(500);
    const player = pacat(pulse.env, 'mic_a', rampFile);
    let playerErr = '';
    player.stderr!.on('data', (d: Buffer) => (playerErr += d.toString()));
    e2e.onCleanup(async () => {
      player.kill('SIGKILL');
      await childExit(player);
    });
    expect(await childExit(player), `pacat failed: ${playerErr}`).toBe(0);
    await sleep(1500); // the tail of the ramp still travels: capture, UDP, playback
    recorder.kill('SIGTERM');
    await childExit(recorder);

    alice.proc.send('hangup');
    await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, 10_000);

    const heard = samplesFromS16le(await readFile(recordFile));
    const runs = rampRuns(heard);
    const where = `B's speaker recorded ${heard.length} samples; ramp runs (at, first, length): ${JSON.stringify(runs.map((r) => [r.at, r.first, r.length]))}`;
    expect(
      runs.map((r) => [r.first, r.length]),
      `${where}; expected the whole ramp as one run`,
    ).toEqual([[RAMP[0], RAMP.length]]);
    expect(firstNonSilent(heard), where).toBe(runs[0]!.at);
  });

  // naudiodon prints with printf on the process's stdout ("Output device name is
  // default", "Finishing input - 1024 bytes not available..."); the client must keep
  // that chatter out of the one-JSON-object-a-line stdout of `--no-tui`.
  it('with device audio, stdout still carries only JSON lines (no native audio chatter)', async () => {
    const dir = await e2e.tempDir('voip-pulse-');
    const pulse = await startPulse(join(dir, 'pulse'), ['mic_a', 'spk_a']);
    e2e.onCleanup(() => pulse.stop());
    const server = await e2e.server();
    const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true });
    await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
    const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'device', audioOut: 'device', env: pulse.route('spk_a', 'mic_a') });
    await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);
    alice.proc.send('call bob');
    await waitFor(alice.proc, 'connected', { peer: 'bob' }, 10_000);
    await sleep(500);
    alice.proc.send('quit');
    expect(await waitForExit(alice.proc, 10_000)).toEqual({ code: 0, signal: null });
    expectOnlyJsonLines(alice.proc);
  }, 40_000);

  // With device audio the client runs itself as an isolated child process (native
  // audio output never reaches stdout). SIGKILL on the process we started must not leave
  // that child behind: it notices its parent's death, hangs up and unregisters.
  it('a device-audio client killed with SIGKILL mid-call: its audio process hangs up and leaves the directory', async () => {
    const dir = await e2e.tempDir('voip-pulse-');
    const pulse = await startPulse(join(dir, 'pulse'), ['mic_a', 'spk_a']);
    e2e.onCleanup(() => pulse.stop());
    const server = await e2e.server();
    const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone', silenceTimeoutS: 2 });
    await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
    const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'device', audioOut: 'device', call: 'bob', env: pulse.route('spk_a', 'mic_a') });
    await waitFor(bob.proc, 'connected', { peer: 'alice' }, 10_000 + START_TIMEOUT_MS);
    await sleep(1000);
    const before = bob.proc.events.length;
    alice.proc.kill('SIGKILL'); // the process itself, not its group: what a crash or `kill -9` does
    const ended = await waitForEvent(bob.proc, (e) => e.event === 'ended' && e['peer'] === 'alice', 8000, { since: before, what: 'the call with alice to end' });
    expect(['remote-hangup', 'peer-silent']).toContain(ended['reason']);
    await waitForEvent(bob.proc, (e) => e.event === 'users' && Array.isArray(e['users']) && !(e['users'] as { name: string }[]).some((u) => u.name === 'alice'), 8000, {
      since: before,
      what: 'alice to leave the directory',
    });
  }, 40_000);
});
