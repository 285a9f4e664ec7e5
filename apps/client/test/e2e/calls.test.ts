/**
 * End-to-end: the real server and real clients (`--no-tui`), as separate processes
 * talking over 127.0.0.1. Audio goes through WAV files.
 */
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elapsedMs, expectBitExact, expectOnlyJsonLines, listsUser, sleep } from '../support/assertions.js';
import { waitFor, waitForEvent, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';
import { noiseSignal, readWav, writeWav } from '../support/wav.js';

const TEST_TIMEOUT = 45_000;
/** A sample value the noise fixtures stay clear of (amplitude 12000). */
const STRANGER_SAMPLE = 0x5a5a;
const STEP = 10_000;

describe('calls between real clients through the real server', () => {
  const e2e = useE2e();

  it(
    'registers and lists every client with its UDP port, old and new',
    async () => {
      const server = await e2e.server();
      const alice = await e2e.client({ name: 'alice', server: server.address });
      const reg = await waitFor(alice.proc, 'registered', { name: 'alice' }, START_TIMEOUT_MS);
      expect(reg).toMatchObject({ udpPort: alice.udpPort, listSupported: true });
      expect(String(reg.server)).toContain(String(server.port));

      const bob = await e2e.client({ name: 'bob', server: server.address });
      await waitFor(bob.proc, 'registered', { name: 'bob' }, START_TIMEOUT_MS);
      const carol = await e2e.client({ name: 'carol', server: server.address });
      await waitFor(carol.proc, 'registered', { name: 'carol' }, START_TIMEOUT_MS);

      // The newest client learns about the older ones, and the older ones learn about it.
      for (const [who, other] of [
        [carol, alice],
        [carol, bob],
        [alice, carol],
        [bob, carol],
        [alice, bob],
      ] as const) {
        await waitForEvent(who.proc, (e) => listsUser(e, other.name, other.udpPort), STEP, {
          what: `a "users" event listing ${other.name} on port ${other.udpPort}`,
        });
      }
      // A client that leaves disappears from the others' lists.
      const mark = alice.proc.mark();
      bob.proc.send('quit');
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });
      await waitForEvent(alice.proc, (e) => e.event === 'users' && !listsUser(e, 'bob') && listsUser(e, 'carol'), STEP, {
        since: mark,
        what: 'a "users" event without bob after bob quit',
      });
      for (const c of [alice, bob, carol]) expectOnlyJsonLines(c.proc);
      expectOnlyJsonLines(server.proc); // --log json
    },
    TEST_TIMEOUT,
  );

  it(
    "a classic call (--classic-only): calls, accepts, and a WAV sent each way arrives bit-exact in the other side's WAV sink",
    async () => {
      const dir = await e2e.tempDir();
      const sentByAlice = noiseSignal(16_000, 0xa11ce); // 2 s
      const sentByBob = noiseSignal(16_000, 0xb0b);
      const files = { aliceIn: join(dir, 'alice-in.wav'), aliceOut: join(dir, 'alice-out.wav'), bobIn: join(dir, 'bob-in.wav'), bobOut: join(dir, 'bob-out.wav') };
      await writeWav(files.aliceIn, sentByAlice);
      await writeWav(files.bobIn, sentByBob);

      const server = await e2e.server();
      const bob = await e2e.client({
        name: 'bob',
        server: server.address,
        audioIn: `wav:${files.bobIn}`,
        audioOut: `wav:${files.bobOut}`,
        classicOnly: true,
        autoAnswer: true,
        exitAfterCall: true,
      });
      await waitFor(bob.proc, 'registered', { name: 'bob' }, START_TIMEOUT_MS);
      const alice = await e2e.client({
        name: 'alice',
        server: server.address,
        audioIn: `wav:${files.aliceIn}`,
        audioOut: `wav:${files.aliceOut}`,
        classicOnly: true,
        call: 'bob',
        hangupAfterS: 3.5,
        exitAfterCall: true,
      });

      const calling = await waitFor(alice.proc, 'calling', { peer: 'bob' }, START_TIMEOUT_MS);
      const incoming = await waitFor(bob.proc, 'incoming', { caller: 'alice' }, STEP);
      expect(incoming).toMatchObject({ ip: '127.0.0.1', port: alice.udpPort });
      const connected = await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      expect(elapsedMs(calling, connected)).toBeGreaterThanOrEqual(0);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);

      // A third party on the same host (another port) sends loud frames and a CLOSE to
      // bob mid-call: dropped, never played, never able to end the call.
      const stranger = createSocket({ type: 'udp4' });
      e2e.onCleanup(() => new Promise<void>((resolve) => stranger.close(() => resolve())));
      await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
      const strangerFrame = Buffer.alloc(1024);
      for (let i = 0; i < 512; i++) strangerFrame.writeInt16LE(STRANGER_SAMPLE, i * 2);
      for (let i = 0; i < 10; i++) {
        stranger.send(strangerFrame, bob.udpPort, '127.0.0.1');
        if (i === 5) stranger.send(Buffer.from('CLOSE'), bob.udpPort, '127.0.0.1');
        await sleep(64);
      }

      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'hangup' }, STEP);
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP);
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });

      const aliceHeard = await readWav(files.aliceOut);
      const bobHeard = await readWav(files.bobOut);
      for (const wav of [aliceHeard, bobHeard]) expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
      expectBitExact(bobHeard.samples, sentByAlice, 'alice -> bob');
      expectBitExact(aliceHeard.samples, sentByBob, 'bob -> alice');
      expect(bobHeard.samples.includes(STRANGER_SAMPLE), "a stranger's frame was played").toBe(false);
      const dropped = Math.max(0, ...bob.proc.eventsNamed('stats').map((e) => Number(e.packetsDropped)));
      expect(dropped, "the stranger's datagrams are counted as dropped in bob's stats").toBeGreaterThanOrEqual(10);
      // About once a second during the call: the figures count the 2 s of audio at least.
      const lastStats = alice.proc.eventsNamed('stats').at(-1);
      expect(lastStats, 'alice printed "stats" during the call').toBeDefined();
      expect(Number(lastStats!.packetsSent)).toBeGreaterThanOrEqual(31);
      expect(Number(lastStats!.packetsReceived)).toBeGreaterThanOrEqual(31);
      expectOnlyJsonLines(alice.proc);
      expectOnlyJsonLines(bob.proc);
    },
    TEST_TIMEOUT,
  );

  it(
    'a rejected call ends with "rejected" and both sides can call again',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);

      alice.proc.send('call bob');
      await waitFor(bob.proc, 'incoming', { caller: 'alice' }, STEP);
      bob.proc.send('reject');
      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'rejected' }, STEP);
      await waitFor(bob.proc, 'ended', { peer: 'alice' }, STEP);
      expect(alice.proc.eventsNamed('connected')).toEqual([]);
      expect(bob.proc.eventsNamed('connected')).toEqual([]);

      // Back to waiting: the callee can now call the caller, who accepts.
      const mark = alice.proc.mark();
      bob.proc.send('call alice');
      await waitFor(alice.proc, 'incoming', { caller: 'bob' }, STEP, mark);
      alice.proc.send('accept');
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      alice.proc.send('quit');
      bob.proc.send('quit');
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'a third caller gets "rejected" within 1 s while the callee is busy; the call goes on',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone:440' });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', audioIn: 'tone:330' });
      const carol = await e2e.client({ name: 'carol', server: server.address });
      await waitFor(carol.proc, 'registered', {}, START_TIMEOUT_MS);
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP + START_TIMEOUT_MS);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);

      carol.proc.send('call bob');
      const calling = await waitFor(carol.proc, 'calling', { peer: 'bob' }, STEP);
      const ended = await waitFor(carol.proc, 'ended', { peer: 'bob' }, STEP);
      expect(ended.reason).toBe('rejected');
      expect(elapsedMs(calling, ended)).toBeLessThan(1000);

      await sleep(500);
      expect(alice.proc.eventsNamed('ended')).toEqual([]);
      expect(bob.proc.eventsNamed('ended')).toEqual([]);
      expect(bob.proc.eventsNamed('incoming').map((e) => e.caller)).toEqual(['alice']);
      alice.proc.send('hangup');
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP);
    },
    TEST_TIMEOUT,
  );

  it(
    'an unanswered call ends with "ring-timeout" for the caller and "cancelled" for the callee',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', ringTimeoutS: 2, exitAfterCall: true });

      const calling = await waitFor(alice.proc, 'calling', { peer: 'bob' }, START_TIMEOUT_MS);
      await waitFor(bob.proc, 'incoming', { caller: 'alice' }, STEP);
      const ended = await waitFor(alice.proc, 'ended', { peer: 'bob' }, STEP);
      expect(ended.reason).toBe('ring-timeout');
      expect(elapsedMs(calling, ended)).toBeGreaterThanOrEqual(1900);
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'cancelled' }, STEP);
      // --exit-after-call: a call that failed exits 1.
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 1, signal: null });
      expect(bob.proc.exitStatus).toBeNull();
    },
    TEST_TIMEOUT,
  );

  it(
    'either side can hang up, and both go back to waiting on the same port',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone' });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'tone:500' });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);

      // 1. The callee hangs up.
      alice.proc.send('call bob');
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);
      await sleep(300);
      bob.proc.send('hangup');
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'hangup' }, STEP);
      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'remote-hangup' }, STEP);
      // The hang-up's CLOSE is repeated for about a second (PROTOCOL.md section 2); a call
      // placed at once is a separate case (next test).
      await sleep(1500);

      // 2. The caller hangs up, on a second call between the same two.
      const [aMark, bMark] = [alice.proc.mark(), bob.proc.mark()];
      alice.proc.send('call bob');
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP, aMark);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP, bMark);
      await sleep(300);
      alice.proc.send('hangup');
      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'hangup' }, STEP, aMark);
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP, bMark);

      expect(alice.proc.eventsNamed('ended')).toHaveLength(2);
      expect(bob.proc.eventsNamed('ended')).toHaveLength(2);
      alice.proc.send('quit');
      bob.proc.send('quit');
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );

  it(
    'when the peer is killed mid-call (SIGKILL) the survivor ends the call with "peer-silent"',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone' });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'tone:500', silenceTimeoutS: 2 });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);

      alice.proc.send('call bob');
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      await sleep(1000);
      expect(alice.proc.eventsNamed('ended')).toEqual([]); // audio flows, so no silence timeout yet
      const killedAt = Date.now();
      bob.proc.kill('SIGKILL');
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: null, signal: 'SIGKILL' });
      const ended = await waitFor(alice.proc, 'ended', { peer: 'bob' }, STEP);
      expect(ended.reason).toBe('peer-silent');
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1500);

      // The survivor is still registered and can take a new call.
      const carol = await e2e.client({ name: 'carol', server: server.address, call: 'alice', ringTimeoutS: 5 });
      const mark = alice.proc.mark();
      await waitFor(alice.proc, 'incoming', { caller: 'carol' }, STEP + START_TIMEOUT_MS, mark);
      alice.proc.send('accept');
      await waitFor(carol.proc, 'connected', { peer: 'alice' }, STEP);
    },
    TEST_TIMEOUT,
  );

  it(
    'SIGTERM mid-call: the client hangs up, leaves the directory and exits 0',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone' });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', audioIn: 'tone:500' });
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP + START_TIMEOUT_MS);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);

      const mark = bob.proc.mark();
      alice.proc.kill('SIGTERM');
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP, mark);
      await waitForEvent(bob.proc, (e) => e.event === 'users' && listsUser(e, 'bob') && !listsUser(e, 'alice'), STEP, {
        since: mark,
        what: 'a "users" event without alice',
      });
    },
    TEST_TIMEOUT,
  );

  // The CLOSE that the callee repeats after hanging up (for about a second) must not
  // end the next call the caller places to it within that second.
  it(
    "a call placed right after a hang-up is not ended by the previous call's repeated CLOSE",
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone' });
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, audioIn: 'tone:500' });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);

      alice.proc.send('call bob');
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);
      bob.proc.send('hangup');
      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'remote-hangup' }, STEP);

      const [aMark, bMark] = [alice.proc.mark(), bob.proc.mark()];
      alice.proc.send('call bob');
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, 4000, bMark);
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, 4000, aMark);
      await sleep(1500);
      expect(alice.proc.eventsNamed('ended', aMark), `${alice.proc.describe()}\n${bob.proc.describe()}`).toEqual([]);
      expect(bob.proc.eventsNamed('ended', bMark), `${alice.proc.describe()}\n${bob.proc.describe()}`).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
