/**
 * End-to-end: the client's controls and what it keeps, with real processes: waiting
 * for a name to come online, mute and volume from stdin, the `ended` figures, the
 * call history file, and the command line's own output.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOnlyJsonLines } from '../support/assertions.js';
import { CLIENT_BIN, waitFor, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';

const TEST_TIMEOUT = 40_000;
const STEP = 10_000;

describe('client controls through the real server', () => {
  const e2e = useE2e();

  it(
    '--call for a name not online: one waiting event, then the call once it registers, in its registered spelling',
    async () => {
      const server = await e2e.server();
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob' });
      await waitFor(alice.proc, 'waiting', { peer: 'bob' }, START_TIMEOUT_MS);
      const bob = await e2e.client({ name: 'Bob', server: server.address, autoAnswer: true });
      await waitFor(alice.proc, 'connected', { peer: 'Bob' }, STEP + START_TIMEOUT_MS);
      expect(alice.proc.eventsNamed('waiting')).toHaveLength(1);
      expect(alice.proc.eventsNamed('log').filter((e) => String(e.message).includes('bob'))).toEqual([]);
      alice.proc.send('quit');
      bob.proc.send('quit');
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'mute, volume, the figures of ended, and the history file of each side (none with --no-history)',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone:440', extraArgs: ['--no-history'] });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', audioIn: 'tone:330', hangupAfterS: 2.5, exitAfterCall: true });
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP + START_TIMEOUT_MS);
      alice.proc.send('mute');
      await waitFor(alice.proc, 'audio', { muted: true, volume: 100 }, STEP);
      alice.proc.send('volume 150');
      await waitFor(alice.proc, 'audio', { muted: true, volume: 150 }, STEP);
      alice.proc.send('unmute');
      await waitFor(alice.proc, 'audio', { muted: false, volume: 150 }, STEP);

      const ended = await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'hangup', direction: 'outgoing' }, STEP);
      expect(Number(ended.durationMs)).toBeGreaterThanOrEqual(2000);
      expect(ended.message).toBe('you hung up the call with bob');
      expect(Number((ended.stats as Record<string, unknown>).packetsSent)).toBeGreaterThanOrEqual(20);
      const bobEnded = await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup', direction: 'incoming' }, STEP);
      expect(bobEnded.message).toBe('alice hung up');
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      bob.proc.send('quit');
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });

      const history = JSON.parse(await readFile(join(alice.configDir, 'voip', 'history.json'), 'utf8')) as Array<Record<string, unknown>>;
      expect(history).toMatchObject([{ peer: 'bob', direction: 'outgoing', outcome: 'hangup', missed: false }]);
      expect(Number(history[0]!.durationMs)).toBeGreaterThanOrEqual(2000);
      await expect(readFile(join(bob.configDir, 'voip', 'history.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
      expectOnlyJsonLines(alice.proc);
      expectOnlyJsonLines(bob.proc);
    },
    TEST_TIMEOUT,
  );
});

describe('the command line', () => {
  const e2e = useE2e();

  it(
    'default device audio that cannot work: one line on stderr saying why, none from the audio libraries',
    async () => {
      // On a machine without a sound card the device check fails; with one, the directory
      // at port 1 cannot be reached. Either way the user reads one sentence.
      const proc = e2e.procs.start('client', CLIENT_BIN, ['--no-tui', '--server', '127.0.0.1:1', '--name', 'x']);
      expect(await waitForExit(proc, STEP)).toEqual({ code: 2, signal: null });
      const lines = proc.stderr.split('\n').filter((line) => line.trim() !== '');
      expect(lines, proc.describe()).toHaveLength(1);
      expect(lines[0]).toMatch(/^voip-client: (no audio .* device found|audio devices are unavailable|cannot reach)/);
      expect(proc.eventsNamed('error')).toHaveLength(1);
    },
    TEST_TIMEOUT,
  );

  it(
    '-h lists the keys of the terminal UI; --version prints the version',
    async () => {
      const help = e2e.procs.start('help', CLIENT_BIN, ['-h']);
      expect(await waitForExit(help, STEP)).toEqual({ code: 0, signal: null });
      expect(help.lines.join('\n')).toContain('Keys of the terminal UI:');
      const version = e2e.procs.start('version', CLIENT_BIN, ['--version']);
      expect(await waitForExit(version, STEP)).toEqual({ code: 0, signal: null });
      expect(version.lines).toEqual([expect.stringMatching(/^voip-client \d+\.\d+\.\d+/)]);
    },
    TEST_TIMEOUT,
  );
});
