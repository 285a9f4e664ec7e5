/**
 * End-to-end: two of our clients get an encrypted (v2) call through our server, with
 * the same short authentication string on both ends; a stranger's datagrams are
 * rejected and counted; --require-secure refuses a classic-only peer.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { waitFor, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';

const TEST_TIMEOUT = 40_000;
const STEP = 10_000;

describe('encrypted calls between two of our clients', () => {
  const e2e = useE2e();

  it(
    'connect as v2, show the same SAS on both ends, and count a stranger as rejected',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, audioIn: 'tone:440', exitAfterCall: true });
      await waitFor(bob.proc, 'registered', { name: 'bob' }, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', audioIn: 'tone:330', hangupAfterS: 3, exitAfterCall: true });
      const aliceConnected = await waitFor(alice.proc, 'connected', { peer: 'bob' }, START_TIMEOUT_MS);
      const bobConnected = await waitFor(bob.proc, 'connected', { peer: 'alice' }, STEP);
      expect(aliceConnected).toMatchObject({ protocol: 'v2', secure: true });
      expect(bobConnected).toMatchObject({ protocol: 'v2', secure: true });
      expect(String(aliceConnected.sas)).toMatch(/^[a-z0-9]{4}$/i);
      expect(bobConnected.sas).toBe(aliceConnected.sas);

      // A third party sends classic audio and a CLOSE to bob mid-call: rejected, counted, harmless.
      const stranger = createSocket({ type: 'udp4' });
      e2e.onCleanup(() => new Promise<void>((resolve) => stranger.close(() => resolve())));
      await new Promise<void>((resolve) => stranger.bind(0, '127.0.0.1', () => resolve()));
      for (let i = 0; i < 10; i++) {
        stranger.send(i === 5 ? Buffer.from('CLOSE') : Buffer.alloc(1024, 0x7f), bob.udpPort, '127.0.0.1');
        await sleep(50);
      }

      await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'hangup' }, STEP);
      await waitFor(bob.proc, 'ended', { peer: 'alice', reason: 'remote-hangup' }, STEP);
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 0, signal: null });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 0, signal: null });
      const bobStats = bob.proc.eventsNamed('stats');
      const rejected = Math.max(0, ...bobStats.map((e) => Number(e.packetsRejected) + Number(e.packetsDropped)));
      expect(rejected, "the stranger's datagrams are counted in bob's stats").toBeGreaterThanOrEqual(10);
      expect(Math.max(0, ...bobStats.map((e) => Number(e.packetsReceived))), 'bob received alice').toBeGreaterThanOrEqual(50);
      expectOnlyJsonLines(alice.proc);
      expectOnlyJsonLines(bob.proc);
    },
    TEST_TIMEOUT,
  );

  it(
    '--require-secure refuses to call a classic-only peer, and a classic-only client still calls a v2 one in the classic form',
    async () => {
      const server = await e2e.server();
      const bob = await e2e.client({ name: 'bob', server: server.address, autoAnswer: true, classicOnly: true });
      await waitFor(bob.proc, 'registered', { name: 'bob' }, START_TIMEOUT_MS);
      const alice = await e2e.client({ name: 'alice', server: server.address, call: 'bob', exitAfterCall: true, extraArgs: ['--require-secure'] });
      const refused = await waitFor(alice.proc, 'ended', { peer: 'bob', reason: 'not-secure' }, STEP);
      expect(refused).toMatchObject({ direction: 'outgoing' });
      expect(alice.proc.eventsNamed('connected')).toEqual([]);
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 1, signal: null });

      const carol = await e2e.client({ name: 'carol', server: server.address, call: 'bob', hangupAfterS: 1, exitAfterCall: true });
      const connected = await waitFor(carol.proc, 'connected', { peer: 'bob' }, STEP);
      expect(connected).toMatchObject({ protocol: 'classic', secure: false, sas: null });
      expect(await waitForExit(carol.proc, STEP)).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT,
  );
});
