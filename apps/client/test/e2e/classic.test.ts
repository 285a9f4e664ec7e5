/**
 * End-to-end with a classic client: a double written from PROTOCOL.md section 2 and
 * the seed report (test/support/classic-client.ts) calls our real client and is
 * called by it, through our real server; audio flows both ways.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectBitExact, expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { ClassicClient } from '../support/classic-client.js';
import { freeUdpPort } from '../support/ports.js';
import { waitFor, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';
import { noiseSignal, readWav, writeWav } from '../support/wav.js';

const TEST_TIMEOUT = 45_000;
const STEP = 10_000;
/** 2 s of audio each way, then 1.5 s of the sender's silence padding. */
const CALL_MS = 3500;
/** 3.5 s of 64 ms frames is ~54; allow for start-up and the shared machine. */
const MIN_FRAMES = 35;

describe('a classic client and ours', () => {
  const e2e = useE2e();

  async function setUp() {
    const dir = await e2e.tempDir();
    const ours = { sent: noiseSignal(16_000, 0x0c1a55), in: join(dir, 'ours-in.wav'), out: join(dir, 'ours-out.wav') };
    await writeWav(ours.in, ours.sent);
    const classicSent = noiseSignal(16_000, 0xc1a551c);
    const server = await e2e.server();
    const bob = await e2e.client({ name: 'bob', server: server.address, audioIn: `wav:${ours.in}`, audioOut: `wav:${ours.out}`, autoAnswer: true });
    await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);
    const classic = await ClassicClient.start({ name: 'classic', serverPort: server.port, udpPort: await freeUdpPort(), signal: classicSent });
    e2e.onCleanup(() => classic.close());
    return { ours, classicSent, bob, classic, server };
  }

  /** Quits our client, then checks both directions of audio. */
  async function checkAudio(s: Awaited<ReturnType<typeof setUp>>): Promise<void> {
    s.bob.proc.send('quit');
    expect(await waitForExit(s.bob.proc, STEP)).toEqual({ code: 0, signal: null });
    expect(s.classic.audio.length, 'audio datagrams received by the classic client').toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(s.classic.audioSent).toBeGreaterThanOrEqual(MIN_FRAMES);
    expect(s.classic.strayAudio).toEqual([]);
    expectBitExact(s.classic.receivedSamples(), s.ours.sent, 'ours -> classic');
    expectBitExact((await readWav(s.ours.out)).samples, s.classicSent, 'classic -> ours');
    expectOnlyJsonLines(s.bob.proc);
  }

  it(
    'the classic client calls ours (START, ACCEPT burst handled as one, CLOSE from the classic side)',
    async () => {
      const s = await setUp();
      expect(await s.classic.call('bob')).toBe('ACCEPT');
      await waitFor(s.bob.proc, 'incoming', { caller: 'classic', ip: '127.0.0.1' }, STEP);
      await waitFor(s.bob.proc, 'connected', { peer: 'classic' }, STEP);
      await sleep(CALL_MS);
      s.classic.hangup();
      await waitFor(s.bob.proc, 'ended', { peer: 'classic', reason: 'remote-hangup' }, STEP);
      await checkAudio(s);
    },
    TEST_TIMEOUT,
  );

  it(
    'ours calls the classic client, which answers with ten ACCEPTs at once; ours hangs up',
    async () => {
      const s = await setUp();
      s.bob.proc.send('call classic');
      const start = await s.classic.waitForStart(STEP);
      expect(start.caller).toBe('bob');
      await s.classic.accept(start.caller, start.from);
      await waitFor(s.bob.proc, 'connected', { peer: 'classic' }, STEP);
      await sleep(CALL_MS);
      expect(s.bob.proc.eventsNamed('connected')).toHaveLength(1);
      expect(s.bob.proc.eventsNamed('ended')).toEqual([]);
      const mark = s.classic.mark();
      s.bob.proc.send('hangup');
      await s.classic.waitForClose(STEP, mark);
      await waitFor(s.bob.proc, 'ended', { peer: 'classic', reason: 'hangup' }, STEP);
      await checkAudio(s);
    },
    TEST_TIMEOUT,
  );

  it(
    'ours calls the classic client, which rejects',
    async () => {
      const s = await setUp();
      s.bob.proc.send('call classic');
      const start = await s.classic.waitForStart(STEP);
      s.classic.reject(start.from);
      await waitFor(s.bob.proc, 'ended', { peer: 'classic', reason: 'rejected' }, STEP);
      expect(s.bob.proc.eventsNamed('connected')).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'ours repeats START, ACCEPT and CLOSE spread over time, never as one burst',
    async () => {
      const s = await setUp();
      // Ours calls; the classic side lets it ring 800 ms, so START repeats.
      s.bob.proc.send('call classic');
      const start = await s.classic.waitForStart(STEP);
      await sleep(800);
      const starts = s.classic.arrivals('START bob');
      expectSpread(starts, 'START');
      const mark = s.classic.mark();
      s.bob.proc.send('hangup');
      await waitFor(s.bob.proc, 'ended', { peer: 'classic', reason: 'cancelled' }, STEP);
      await sleep(1500);
      expectSpread(s.classic.arrivals('CLOSE', mark), 'CLOSE (cancel)');
      expect(start.caller).toBe('bob');

      // The classic side calls ours: ours answers ACCEPT, repeated but spread.
      const acceptMark = s.classic.mark();
      expect(await s.classic.call('bob')).toBe('ACCEPT');
      await sleep(1500);
      expectSpread(s.classic.arrivals('ACCEPT', acceptMark), 'ACCEPT');
      const closeMark = s.classic.mark();
      s.bob.proc.send('hangup');
      await s.classic.waitForClose(STEP, closeMark);
      await sleep(1500);
      expectSpread(s.classic.arrivals('CLOSE', closeMark), 'CLOSE (hang-up)');
    },
    TEST_TIMEOUT,
  );

  it(
    'a busy client answers a classic caller REJECT at once',
    async () => {
      const s = await setUp();
      const server = s.server;
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob' });
      await waitFor(s.bob.proc, 'connected', { peer: 'alice' }, STEP + START_TIMEOUT_MS);
      await waitFor(alice.proc, 'connected', { peer: 'bob' }, STEP);
      const { answer, elapsedMs } = await s.classic.callTimed('bob');
      expect(answer).toBe('REJECT');
      expect(elapsedMs).toBeLessThan(1000);
      await sleep(300);
      expect(s.bob.proc.eventsNamed('ended')).toEqual([]);
      expect(alice.proc.eventsNamed('ended')).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

/**
 * Asserts repeats of a signal came more than once and spread over time (PROTOCOL.md
 * section 2: "never as one burst"; the reference reads its socket from two threads and
 * loses what the wrong one takes). Arrival times are taken when this process handles
 * each datagram, so a stall here can pair two of them: the median gap is what counts.
 */
function expectSpread(arrivals: number[], what: string): void {
  const gaps = arrivals.slice(1).map((t, i) => Math.round(t - arrivals[i]!));
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const detail = `${what} repeats: ${arrivals.length}, gaps ${JSON.stringify(gaps)} ms`;
  expect(arrivals.length, detail).toBeGreaterThanOrEqual(2);
  expect(median, detail).toBeGreaterThanOrEqual(20);
  expect(arrivals.at(-1)! - arrivals[0]!, detail).toBeGreaterThanOrEqual(50);
}
