/**
 * End-to-end failures: what the real client does when the directory dies, its UDP
 * port is taken, the server is unreachable, its name is refused or a call cannot be
 * placed; what the server does on SIGTERM.
 */
import { createSocket, type Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { expectOnlyJsonLines } from '../support/assertions.js';
import { freeTcpPort, freeUdpPort, LOOPBACK } from '../support/ports.js';
import { waitFor, waitForExit } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';

const TEST_TIMEOUT = 40_000;
const STEP = 10_000;

describe('failures of real processes', () => {
  const e2e = useE2e();

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'when the server dies (%s) every client says "directory-lost" and exits 2',
    async (signal) => {
      const server = await e2e.server();
      const alice = await e2e.client({ name: 'alice', server: server.address });
      const bob = await e2e.client({ name: 'bob', server: server.address });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);
      await waitFor(bob.proc, 'registered', {}, START_TIMEOUT_MS);

      server.proc.kill(signal);
      const serverExit = await waitForExit(server.proc, STEP);
      if (signal === 'SIGTERM') expect(serverExit).toEqual({ code: 0, signal: null });
      for (const c of [alice, bob]) {
        await waitFor(c.proc, 'error', { code: 'directory-lost' }, STEP);
        expect(await waitForExit(c.proc, STEP)).toEqual({ code: 2, signal: null });
        expectOnlyJsonLines(c.proc);
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'a UDP port already in use: exit 2, and the message names the port',
    async () => {
      const server = await e2e.server();
      const port = await freeUdpPort();
      const squatter: Socket = createSocket({ type: 'udp4' });
      e2e.onCleanup(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
      await new Promise<void>((resolve, reject) => {
        squatter.once('error', reject);
        squatter.bind(port, LOOPBACK, () => resolve());
      });

      const alice = await e2e.client({ name: 'alice', server: server.address, udpPort: port });
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 2, signal: null });
      const errors = alice.proc.eventsNamed('error');
      expect(errors.length, alice.proc.describe()).toBeGreaterThan(0);
      expect(errors.map((e) => String(e.message)).join('\n'), alice.proc.describe()).toContain(String(port));
      expect(alice.proc.eventsNamed('registered')).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'two clients on the same UDP port: the second exits 2 and the first is untouched',
    async () => {
      const server = await e2e.server();
      const port = await freeUdpPort();
      const alice = await e2e.client({ name: 'alice', server: server.address, udpPort: port });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);
      const bob = await e2e.client({ name: 'bob', server: server.address, udpPort: port });
      expect(await waitForExit(bob.proc, STEP)).toEqual({ code: 2, signal: null });
      expect(
        bob.proc
          .eventsNamed('error')
          .map((e) => String(e.message))
          .join('\n'),
        bob.proc.describe(),
      ).toContain(String(port));
      expect(alice.proc.exitStatus).toBeNull();
    },
    TEST_TIMEOUT,
  );

  it(
    'an unreachable server: exit 2 with an error event',
    async () => {
      const closedPort = await freeTcpPort();
      const alice = await e2e.client({ name: 'alice', server: `${LOOPBACK}:${closedPort}` });
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 2, signal: null });
      expect(alice.proc.eventsNamed('error').length, alice.proc.describe()).toBeGreaterThan(0);
      expectOnlyJsonLines(alice.proc);
    },
    TEST_TIMEOUT,
  );

  it(
    'a name already taken (regardless of case) is refused: exit 2; the holder keeps it',
    async () => {
      const server = await e2e.server();
      const first = await e2e.client({ name: 'alice', server: server.address });
      await waitFor(first.proc, 'registered', {}, START_TIMEOUT_MS);
      const second = await e2e.client({ name: 'Alice', server: server.address });
      expect(await waitForExit(second.proc, STEP)).toEqual({ code: 2, signal: null });
      expect(second.proc.eventsNamed('error').length, second.proc.describe()).toBeGreaterThan(0);
      expect(second.proc.eventsNamed('registered')).toEqual([]);
      expect(first.proc.exitStatus).toBeNull();
    },
    TEST_TIMEOUT,
  );

  it.each([
    ['nobody', 'not-found'],
    ['alice', 'self-call'],
  ])(
    'calling %s (stdin) with --exit-after-call ends with "%s" and exits 1',
    async (callee, reason) => {
      const server = await e2e.server();
      const alice = await e2e.client({ name: 'alice', server: server.address, exitAfterCall: true });
      await waitFor(alice.proc, 'registered', {}, START_TIMEOUT_MS);
      alice.proc.send(`call ${callee}`);
      await waitFor(alice.proc, 'ended', { reason }, STEP);
      expect(await waitForExit(alice.proc, STEP)).toEqual({ code: 1, signal: null });
    },
    TEST_TIMEOUT,
  );
});
