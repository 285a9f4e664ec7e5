/**
 * End-to-end through the classic server: the faithful double of the reference server
 * (`@voip/tools`) runs on a router namespace, and two of our real clients, each on its
 * own host namespace and subnet (the classic server hands out UDP port 5001 only),
 * call each other through it, both ways, audio bit-exact. Needs root (`ip netns`).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBitExact, expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { createCallNetwork, startClientIn, type CallNetwork } from '../support/netns-network.js';
import { ManagedProcess, waitFor, waitForEvent, waitForExit, type JsonEvent } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';
import { noiseSignal, readWav, writeWav } from '../support/wav.js';

const TEST_TIMEOUT = 60_000;
const STEP = 10_000;
/** 2 s of audio each way, then the sender's silence padding. */
const CALL_MS = 3500;
const CLASSIC_UDP_PORT = 5001;
const isRoot = process.getuid?.() === 0;

if (!isRoot) console.warn('classic-server-netns.test.ts: skipped, it needs root to create network namespaces');

describe.skipIf(!isRoot)('two of our clients through the classic server, on separate hosts', () => {
  const e2e = useE2e();
  let net: CallNetwork | undefined;
  afterEach(async () => {
    await net?.lab.dispose();
    net = undefined;
  }, 30_000);

  it.each([
    ['alice', 'bob'],
    ['bob', 'alice'],
  ] as const)(
    '%s calls %s; audio arrives bit-exact both ways; both quit with DISCONNECT',
    async (caller, callee) => {
      net = await createCallNetwork({ server: 'classic' });
      const dir = await e2e.tempDir();
      const clients = {} as Record<'alice' | 'bob', { proc: ManagedProcess; sent: Int16Array; out: string }>;
      for (const [i, name] of (['alice', 'bob'] as const).entries()) {
        const sent = noiseSignal(16_000, 0xc1a55 + i);
        const input = join(dir, `${name}-in.wav`);
        const out = join(dir, `${name}-out.wav`);
        await writeWav(input, sent);
        const proc = startClientIn(net.lab, net.hosts[name], {
          name,
          server: net.serverAddress,
          udpPort: CLASSIC_UDP_PORT,
          audioIn: `wav:${input}`,
          audioOut: `wav:${out}`,
          autoAnswer: name === callee,
        });
        clients[name] = { proc, sent, out };
        await waitFor(proc, 'registered', { name }, START_TIMEOUT_MS);
      }

      const [from, to] = [clients[caller].proc, clients[callee].proc];
      from.send(`call ${callee}`);
      await waitFor(to, 'incoming', { caller, ip: net.ips[caller] }, STEP);
      await waitFor(from, 'connected', { peer: callee }, STEP);
      await waitFor(to, 'connected', { peer: caller }, STEP);
      await sleep(CALL_MS);
      from.send('hangup');
      await waitFor(from, 'ended', { peer: callee, reason: 'hangup' }, STEP);
      await waitFor(to, 'ended', { peer: caller, reason: 'remote-hangup' }, STEP);

      for (const name of ['alice', 'bob'] as const) clients[name].proc.send('quit');
      for (const name of ['alice', 'bob'] as const) {
        expect(await waitForExit(clients[name].proc, STEP)).toEqual({ code: 0, signal: null });
        expectOnlyJsonLines(clients[name].proc);
      }
      expectBitExact((await readWav(clients[callee].out)).samples, clients[caller].sent, `${caller} -> ${callee}`);
      expectBitExact((await readWav(clients[caller].out)).samples, clients[callee].sent, `${callee} -> ${caller}`);

      // The classic server saw each client leave with DISCONNECT, and no request ever made it raise
      // (the only raises are the empty reads of the clients closing their connections).
      const request = (e: JsonEvent) => (e.event === 'request' ? (e.request as { command?: unknown; name?: unknown } | undefined) : undefined);
      for (const name of ['alice', 'bob']) {
        await waitForEvent(net!.server, (e) => request(e)?.command === 'DISCONNECT' && request(e)?.name === name, STEP, { what: `a DISCONNECT from ${name}` });
      }
      const requests = net.server.eventsNamed('request');
      expect(
        requests
          .filter((e) => request(e)?.command === 'DISCONNECT')
          .map((e) => request(e)?.name)
          .sort(),
      ).toEqual(['alice', 'bob']);
      expect(
        requests.filter((e) => e.raised !== undefined && e.bytes !== ''),
        'requests the classic server raised on',
      ).toEqual([]);
      expect(new Set(requests.flatMap((e) => (request(e) ? [request(e)?.command] : [])))).toEqual(new Set(['REG', 'GET', 'DISCONNECT']));
      expectOnlyJsonLines(net.server);
    },
    TEST_TIMEOUT,
  );
});
