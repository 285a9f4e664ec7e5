/**
 * End-to-end: a client given two directory servers fails over when the first is
 * killed during a call. The call goes on to its end with audio, both clients register
 * again on the second server, become callable there, and their JSON events say so.
 */
import { describe, expect, it } from 'vitest';
import { expectOnlyJsonLines, listsUser } from '../support/assertions.js';
import { waitFor, waitForEvent, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';

const TEST_TIMEOUT = 60_000;
const STEP = 15_000;
const CALL_S = 6;

describe('failover between two directory servers', () => {
  const e2e = useE2e();

  it(
    'the first server is killed mid-call: the call continues to its end with audio, the clients register on the second and are callable there',
    async () => {
      const first = await e2e.server();
      const second = await e2e.server();
      const servers = `${first.address},${second.address}`;
      const bob = await e2e.client({ name: 'bob', server: servers, autoAnswer: true, audioIn: 'tone:440' });
      await waitFor(bob.proc, 'registered', { name: 'bob', server: first.address }, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: servers, call: 'bob', autoAnswer: true, audioIn: 'tone:330', hangupAfterS: CALL_S });
      await waitFor(alice.proc, 'registered', { name: 'alice', server: first.address }, START_TIMEOUT_MS);
      await waitFor(alice.proc, 'connected', { peer: 'bob', protocol: 'v2', secure: true }, STEP);
      await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);
      await waitFor(alice.proc, 'stats', {}, STEP);

      const aliceMark = alice.proc.mark();
      const bobMark = bob.proc.mark();
      first.proc.kill('SIGKILL');
      expect(await waitForExit(first.proc, STEP)).toEqual({ code: null, signal: 'SIGKILL' });

      for (const c of [alice, bob]) {
        const lost = await waitFor(c.proc, 'disconnected', { server: first.address }, STEP, c === alice ? aliceMark : bobMark);
        expect(lost.reason).toEqual(expect.any(String));
        await waitFor(c.proc, 'reconnected', { server: second.address }, STEP, c === alice ? aliceMark : bobMark);
      }

      // The call was not disturbed: it ends when alice hangs up, and audio kept arriving after the kill.
      const ended = await waitFor(alice.proc, 'ended', { peer: 'bob' }, STEP, aliceMark);
      expect(ended).toMatchObject({ reason: 'hangup', direction: 'outgoing' });
      expect(Number(ended.durationMs)).toBeGreaterThanOrEqual((CALL_S - 1) * 1000);
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP, bobMark);
      const received = (events: Record<string, unknown>[]) => events.map((e) => Number(e.packetsReceived));
      const before = Math.max(...received(alice.proc.eventsNamed('stats').slice(0, 1)));
      const after = received(alice.proc.eventsNamed('stats', aliceMark));
      expect(after.length, 'stats kept coming after the kill').toBeGreaterThanOrEqual(2);
      expect(Math.max(...after), 'audio kept arriving after the kill').toBeGreaterThan(before + 100);
      expect(alice.proc.eventsNamed('error')).toEqual([]);
      expect(bob.proc.eventsNamed('error')).toEqual([]);

      // Both are on the second server now: a client of that server alone sees and calls them.
      const carol = await e2e.client({ name: 'carol', server: second.address, call: 'alice', hangupAfterS: 1, exitAfterCall: true });
      await waitForEvent(carol.proc, (e) => e.event === 'users' && listsUser(e, 'alice') && listsUser(e, 'bob'), STEP);
      await waitFor(carol.proc, 'connected', { peer: 'alice', protocol: 'v2' }, STEP);
      expect(await waitForExit(carol.proc, STEP)).toEqual({ code: 0, signal: null });
      await waitFor(alice.proc, 'ended', { peer: 'carol', reason: 'remote-hangup' }, STEP, aliceMark);

      for (const c of [alice, bob]) {
        c.proc.kill('SIGTERM');
        expect(await waitForExit(c.proc, STEP)).toEqual({ code: 0, signal: null });
        expectOnlyJsonLines(c.proc);
      }
    },
    TEST_TIMEOUT,
  );
});
