/**
 * End-to-end between hosts: a v2 client and a `--classic-only` one, each on its own
 * host namespace, through our directory server on a router namespace. They get a
 * classic call either way (not encrypted: the router sees the PCM in the clear), and
 * `--require-secure` refuses it either way with `not-secure`. Needs root.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { createCallNetwork, startClientIn, type CallNetwork, type HostName } from '../support/netns-network.js';
import { findPcm } from '../support/pcm-search.js';
import { waitFor, waitForExit, type ManagedProcess } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e } from '../support/voip.js';
import { noiseSignal, writeWav } from '../support/wav.js';

const STEP = 15_000;
const UDP_PORT = 5004;
const isRoot = process.getuid?.() === 0;

if (!isRoot) console.warn('encrypted-calls-netns-classic.test.ts: skipped, it needs root to create network namespaces');

describe.skipIf(!isRoot)('a v2 client and a classic-only one on two hosts', () => {
  const e2e = useE2e();
  let net: CallNetwork | undefined;
  afterEach(async () => {
    await net?.lab.dispose();
    net = undefined;
  }, 30_000);

  /** alice (v2, with `aliceArgs`) and bob (`--classic-only`), both auto-answering, registered. */
  async function start(aliceArgs: string[], audioIn: Record<HostName, string>): Promise<Record<HostName, ManagedProcess>> {
    net = await createCallNetwork({ server: 'voip' });
    const procs: Record<HostName, ManagedProcess> = {
      alice: startClientIn(net.lab, net.hosts.alice, {
        name: 'alice',
        server: net.serverAddress,
        udpPort: UDP_PORT,
        autoAnswer: true,
        audioIn: audioIn.alice,
        extraArgs: aliceArgs,
      }),
      bob: startClientIn(net.lab, net.hosts.bob, { name: 'bob', server: net.serverAddress, udpPort: UDP_PORT, autoAnswer: true, audioIn: audioIn.bob, classicOnly: true }),
    };
    for (const name of ['alice', 'bob'] as const) await waitFor(procs[name], 'registered', { name }, START_TIMEOUT_MS);
    return procs;
  }

  async function quit(procs: Record<HostName, ManagedProcess>): Promise<void> {
    for (const name of ['alice', 'bob'] as const) procs[name].send('quit');
    for (const name of ['alice', 'bob'] as const) {
      expect(await waitForExit(procs[name], STEP)).toEqual({ code: 0, signal: null });
      expectOnlyJsonLines(procs[name]);
    }
  }

  it('calls either way are classic and not encrypted: the PCM crosses the router in the clear', async () => {
    const dir = await e2e.tempDir();
    const sent = noiseSignal(8000 * 6, 0xc1a5);
    await writeWav(join(dir, 'alice-in.wav'), sent);
    const procs = await start([], { alice: `wav:${join(dir, 'alice-in.wav')}`, bob: 'tone:440' });
    const wire = await net!.lab.capture(net!.router);
    for (const caller of ['alice', 'bob'] as const) {
      const callee: HostName = caller === 'alice' ? 'bob' : 'alice';
      const marks = { alice: procs.alice.mark(), bob: procs.bob.mark() };
      procs[caller].send(`call ${callee}`);
      for (const [name, peer] of [
        [caller, callee],
        [callee, caller],
      ] as const) {
        const connected = await waitFor(procs[name], 'connected', { peer }, STEP, marks[name]);
        expect(connected, `${name} in the call ${caller} placed`).toMatchObject({ protocol: 'classic', secure: false, sas: null });
      }
      await sleep(1500);
      procs[caller].send('hangup');
      await waitFor(procs[caller], 'ended', { peer: callee, reason: 'hangup' }, STEP, marks[caller]);
      await waitFor(procs[callee], 'ended', { peer: caller, reason: 'remote-hangup' }, STEP, marks[callee]);
    }
    const captured = await wire.stop();
    // The control of the v2 test's search: in a classic call it finds the sent PCM in the datagrams.
    expect(
      findPcm(
        sent,
        captured.datagrams.map((d) => d.payload),
      ).length,
      'datagrams with alice’s PCM',
    ).toBeGreaterThan(10);
    await quit(procs);
  }, 60_000);

  it('--require-secure refuses a classic-only peer either way, with not-secure', async () => {
    const procs = await start(['--require-secure'], { alice: 'tone:330', bob: 'tone:440' });
    procs.alice.send('call bob');
    const refused = await waitFor(procs.alice, 'ended', { peer: 'bob', reason: 'not-secure' }, STEP);
    expect(refused).toMatchObject({ direction: 'outgoing' });

    const mark = procs.alice.mark();
    procs.bob.send('call alice');
    const declined = await waitFor(procs.alice, 'ended', { peer: 'bob', reason: 'not-secure', direction: 'incoming' }, STEP, mark);
    expect(declined.message, 'the reason, for people').toEqual(expect.any(String));
    await waitFor(procs.bob, 'ended', { peer: 'alice', reason: 'rejected' }, STEP);
    expect(procs.alice.eventsNamed('connected')).toEqual([]);
    expect(procs.alice.eventsNamed('incoming')).toEqual([]);
    expect(procs.bob.eventsNamed('connected')).toEqual([]);
    expect(procs.bob.eventsNamed('incoming')).toEqual([]);
    await quit(procs);
  }, 60_000);
});
