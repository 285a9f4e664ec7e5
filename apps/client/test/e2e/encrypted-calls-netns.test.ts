/**
 * End-to-end v2 calls between hosts: our directory server runs on a router namespace
 * that drops 10% of the forwarded UDP each way (nftables), and two of our real clients
 * (`--no-tui`), each on its own host and subnet, call each other through it. Calls set
 * up every time; the router's capture holds no stretch of the sent PCM; datagrams
 * forged from an attacker host (source rewritten to the peer's) and replays of the
 * call's own packets are counted and neither end nor disturb the call. Needs root.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectOnlyJsonLines, sleep } from '../support/assertions.js';
import { forgeries, observeCall } from '../support/forged-datagrams.js';
import { createCallNetwork, startClientIn, type CallNetwork, type HostName } from '../support/netns-network.js';
import { findPcm, playedFrames } from '../support/pcm-search.js';
import type { CaptureResult } from '@voip/tools';
import { waitFor, waitForEvent, waitForExit, type JsonEvent, type ManagedProcess } from '../support/processes.js';
import { START_TIMEOUT_MS, useE2e, type ClientOptions } from '../support/voip.js';
import { noiseSignal, readWav, writeWav } from '../support/wav.js';

const STEP = 15_000;
const UDP_PORT = 5004;
/** Calls placed in the set-up series, alternately each way. */
const CALLS = 10;
const SAS = /^[a-z0-9]{4}$/i;
const isRoot = process.getuid?.() === 0;

if (!isRoot) console.warn('encrypted-calls-netns.test.ts: skipped, it needs root to create network namespaces');

const other = (name: HostName): HostName => (name === 'alice' ? 'bob' : 'alice');
type Stats = Record<string, number>;

let net: CallNetwork | undefined;

describe.skipIf(!isRoot)('v2 calls between two hosts through a router that drops 10% of the UDP each way', () => {
  const e2e = useE2e();
  afterEach(async () => {
    await net?.lab.dispose();
    net = undefined;
  }, 30_000);

  /** Starts alice and bob (auto-answering) on their hosts and waits until both are registered. */
  async function startBoth(audio: (name: HostName) => Partial<ClientOptions>): Promise<Record<HostName, ManagedProcess>> {
    const procs = {} as Record<HostName, ManagedProcess>;
    for (const name of ['alice', 'bob'] as const) {
      procs[name] = startClientIn(net!.lab, net!.hosts[name], { name, server: net!.serverAddress, udpPort: UDP_PORT, autoAnswer: true, ...audio(name) });
    }
    for (const name of ['alice', 'bob'] as const) await waitFor(procs[name], 'registered', { name }, START_TIMEOUT_MS);
    return procs;
  }

  /** `caller` calls `callee`; resolves with both `connected` events once both ends print one. */
  async function connect(procs: Record<HostName, ManagedProcess>, caller: HostName): Promise<[JsonEvent, JsonEvent]> {
    const callee = other(caller);
    const marks = [procs[caller].mark(), procs[callee].mark()] as const;
    procs[caller].send(`call ${callee}`);
    return [await waitFor(procs[caller], 'connected', { peer: callee }, STEP, marks[0]), await waitFor(procs[callee], 'connected', { peer: caller }, STEP, marks[1])];
  }

  /** `caller` hangs up; resolves with both `ended` events (hangup, remote-hangup). */
  async function hangUp(procs: Record<HostName, ManagedProcess>, caller: HostName): Promise<Record<HostName, JsonEvent>> {
    const callee = other(caller);
    const marks = [procs[caller].mark(), procs[callee].mark()] as const;
    procs[caller].send('hangup');
    const ended = await waitFor(procs[caller], 'ended', { peer: callee, reason: 'hangup' }, STEP, marks[0]);
    const remote = await waitFor(procs[callee], 'ended', { peer: caller, reason: 'remote-hangup' }, STEP, marks[1]);
    return { [caller]: ended, [callee]: remote } as Record<HostName, JsonEvent>;
  }

  async function quitBoth(procs: Record<HostName, ManagedProcess>): Promise<void> {
    for (const name of ['alice', 'bob'] as const) procs[name].send('quit');
    for (const name of ['alice', 'bob'] as const) {
      expect(await waitForExit(procs[name], STEP)).toEqual({ code: 0, signal: null });
      expectOnlyJsonLines(procs[name]);
    }
  }

  it(
    `${CALLS} calls, alternately each way, all connect as v2 with the same SAS at both ends`,
    async () => {
      net = await createCallNetwork({ server: 'voip' });
      const impairment = await net.lab.impair(net.router, { dropPercent: 10 });
      const procs = await startBoth((name) => ({ audioIn: name === 'alice' ? 'tone:330' : 'tone:440' }));
      const sases: string[] = [];
      for (let i = 0; i < CALLS; i++) {
        const caller: HostName = i % 2 === 0 ? 'alice' : 'bob';
        const [placed, taken] = await connect(procs, caller);
        expect(placed, `call ${i} at ${caller}`).toMatchObject({ protocol: 'v2', secure: true, sas: expect.stringMatching(SAS) });
        expect(taken, `call ${i} at ${other(caller)}`).toMatchObject({ protocol: 'v2', secure: true, sas: placed.sas });
        sases.push(String(placed.sas));
        await sleep(1000);
        await hangUp(procs, caller);
      }
      // Fresh keys every call: twenty bits of SAS repeat by chance in fewer than 1 in 10^4 series.
      expect(new Set(sases).size, `SAS of the calls: ${sases.join(' ')}`).toBeGreaterThanOrEqual(CALLS - 1);
      const { matched, dropped } = await impairment.counters();
      expect(dropped, `the router dropped ${dropped} of ${matched} UDP datagrams`).toBeGreaterThan(0);
      expect(dropped / matched).toBeGreaterThan(0.04);
      expect(dropped / matched).toBeLessThan(0.16);
      await quitBoth(procs);
      expect(net.server.eventsNamed('error')).toEqual([]);
    },
    CALLS * 20_000 + 30_000,
  );

  it('a call with WAV audio: no stretch of its PCM on the wire; forged and replayed datagrams are counted, the call goes on', async () => {
    net = await createCallNetwork({ server: 'voip', attacker: true });
    const attacker = net.attacker!;
    // The attacker's datagrams are left alone, so that every one of them reaches bob and can be counted.
    const impairment = await net.lab.impair(net.router, { dropPercent: 10, exceptInterface: attacker.link.aInterface });
    const dir = await e2e.tempDir();
    const sent: Record<HostName, Int16Array> = { alice: noiseSignal(8000 * 14, 0x5ec0), bob: noiseSignal(8000 * 14, 0x5ec1) };
    const file = (name: HostName, what: 'in' | 'out') => join(dir, `${name}-${what}.wav`);
    for (const name of ['alice', 'bob'] as const) await writeWav(file(name, 'in'), sent[name]);
    const procs = await startBoth((name) => ({ audioIn: `wav:${file(name, 'in')}`, audioOut: `wav:${file(name, 'out')}` }));
    const wire = await net.lab.capture(net.router);
    // What reaches bob: the router's capture on its link to him (after the drops).
    const bobLink = await net.lab.capture(net.router, { interface: net.links.bob.aInterface });

    const [placed, taken] = await connect(procs, 'alice');
    expect(placed).toMatchObject({ protocol: 'v2', secure: true, sas: expect.stringMatching(SAS) });
    expect(taken).toMatchObject({ protocol: 'v2', secure: true, sas: placed.sas });
    await sleep(3000);
    const toBob = aliceToBob(await bobLink.stop());
    const media = toBob.filter(isRtp);
    const signalling = toBob.filter((d) => d[0] === 0x0e);
    expect(media.length, 'RTP from alice on bob’s link').toBeGreaterThan(60);
    // Replays of what bob already had: the oldest packets (outside the 128-packet window), the newest (inside it), and the signalling.
    const replays = [...media.slice(0, 20), ...media.slice(-20), ...signalling];
    const forged = forgeries(observeCall(toBob), 4, 0xbad);

    const before = lastStats(procs.bob);
    const marks = { alice: procs.alice.mark(), bob: procs.bob.mark() };
    const spoof = await net.lab.spoof({ router: net.router, from: attacker.ns, as: { address: net.ips.alice, port: UDP_PORT }, to: { address: net.ips.bob, port: UDP_PORT } });
    const sentForged = await spoof.send(
      forged.map((f) => f.bytes),
      { intervalMs: 5 },
    );
    const sentReplays = await spoof.send(replays, { intervalMs: 5 });
    expect(await spoof.forged(), 'datagrams the router rewrote to come from alice').toBe(sentForged + sentReplays);

    // The call goes on: no end on either side, bob keeps receiving and playing alice.
    await sleep(3000);
    expect(procs.alice.eventsNamed('ended', marks.alice)).toEqual([]);
    expect(procs.bob.eventsNamed('ended', marks.bob)).toEqual([]);
    expect(lastStats(procs.bob).packetsReceived).toBeGreaterThan(before.packetsReceived! + 100);
    const ended = await hangUp(procs, 'alice');
    const captured = await wire.stop();
    await quitBoth(procs);

    // Counted: every forgery as rejected, every replay as replayed (authentic, seen before or older than the window).
    const final = ended.bob.stats as Stats;
    const summary = `bob before ${JSON.stringify(before)}, at the end ${JSON.stringify(final)}; sent ${sentForged} forged, ${sentReplays} replayed`;
    expect(final.packetsRejected! - before.packetsRejected!, summary).toBeGreaterThanOrEqual(forged.length);
    expect(final.packetsReplayed! - before.packetsReplayed!, summary).toBeGreaterThanOrEqual(replays.length);
    const { dropped } = await impairment.counters();
    expect(dropped, 'the router dropped some of the call').toBeGreaterThan(0);

    // Nothing of either side's PCM, in either byte order, in any datagram the router saw.
    expect(captured.droppedByKernel).toBe(0);
    expect(captured.datagrams.filter((d) => d.truncated)).toEqual([]);
    const payloads = captured.datagrams.map((d) => d.payload);
    expect(payloads.filter((p) => p.length === 348).length, 'RTP both ways in the capture').toBeGreaterThan(400);
    for (const name of ['alice', 'bob'] as const) expect(findPcm(sent[name], payloads), `${name}'s PCM on the wire`).toEqual([]);

    // What each side played: frames of the other's signal, each once and in order, up to the end of the call. A lost
    // frame is concealed and the next one faded in, so the frames played as sent are at least those sent less twice the
    // concealed ones (and a few at the start and the end, the playout delay).
    for (const name of ['alice', 'bob'] as const) {
      const peer = other(name);
      const played = playedFrames((await readWav(file(name, 'out'))).samples, sent[peer]);
      const peerSent = (ended[peer].stats as Stats).packetsSent!;
      const concealed = (ended[name].stats as Stats).packetsConcealed!;
      const what = `${name} played ${played.indices.length} of the ${peerSent} frames ${peer} sent (${concealed} concealed), last ${played.indices.at(-1)}`;
      expect(played.outOfOrder, what).toBe(0);
      expect(played.indices.length, what).toBeGreaterThanOrEqual(Math.max(peerSent / 2, peerSent - 2 * concealed - 15));
      expect(played.indices.at(-1)!, what).toBeGreaterThan(peerSent - 100);
    }
  }, 90_000);

  it('a spoofer cannot keep a call up once the peer is gone: forged and replayed media from its address do not stop the silence timeout', async () => {
    net = await createCallNetwork({ server: 'voip', attacker: true });
    const attacker = net.attacker!;
    const procs = await startBoth((name) => ({ audioIn: name === 'alice' ? 'tone:330' : 'tone:440', ...(name === 'bob' ? { silenceTimeoutS: 2 } : {}) }));
    const bobLink = await net.lab.capture(net.router, { interface: net.links.bob.aInterface });
    await connect(procs, 'alice');
    await sleep(2000);
    const media = aliceToBob(await bobLink.stop()).filter(isRtp);
    expect(media.length).toBeGreaterThan(60);

    // The spoofer starts (twelve seconds of a packet every 20 ms, alternately a replay and a copy with one payload bit
    // flipped), and once its datagrams reach bob, alice's host drops off: the router forwards nothing more from her.
    const spoof = await net.lab.spoof({ router: net.router, from: attacker.ns, as: { address: net.ips.alice, port: UDP_PORT }, to: { address: net.ips.bob, port: UDP_PORT } });
    const payloads = Array.from({ length: 600 }, (_, i) => {
      const bytes = Uint8Array.from(media[i % media.length]!);
      if (i % 2 === 1) bytes[20]! ^= 0x01;
      return bytes;
    });
    let spoofed = false;
    // Killed with the lab when the test is over.
    void spoof
      .send(payloads, { intervalMs: 20 })
      .catch(() => {})
      .finally(() => (spoofed = true));
    const mark = procs.bob.mark();
    await waitForEvent(procs.bob, (e) => e.event === 'stats' && Number(e.packetsRejected) >= 5 && Number(e.packetsReplayed) >= 5, STEP, {
      since: mark,
      what: 'stats counting the spoofer',
    });
    const cut = await net.lab.impair(net.router, { dropPercent: 100, direction: { from: net.ips.alice }, exceptInterface: attacker.link.aInterface });
    const atCut = lastStats(procs.bob);
    const ended = await waitFor(procs.bob, 'ended', { peer: 'alice', reason: 'peer-silent' }, STEP, mark);
    expect(spoofed, 'bob hung up while the spoofer was still sending').toBe(false);
    const stats = ended.stats as Stats;
    // Forgeries and replays kept coming between alice's going and bob's hanging up (2 s later): they changed nothing.
    const what = `at the cut ${JSON.stringify(atCut)}, at the end ${JSON.stringify(stats)}`;
    expect(stats.packetsRejected! - atCut.packetsRejected!, what).toBeGreaterThanOrEqual(10);
    expect(stats.packetsReplayed! - atCut.packetsReplayed!, what).toBeGreaterThanOrEqual(10);
    expect((await cut.counters()).dropped, "alice's datagrams the router dropped").toBeGreaterThan(20);
    await waitFor(procs.alice, 'ended', { peer: 'bob', reason: 'remote-hangup' }, STEP);
    await cut.remove();
    await quitBoth(procs);
  }, 60_000);
});

/** The payloads alice sent to bob's call port, of a capture. */
function aliceToBob(capture: CaptureResult): Uint8Array[] {
  return capture.datagrams.filter((d) => d.source.address === net!.ips.alice && d.destination.address === net!.ips.bob && d.destination.port === UDP_PORT).map((d) => d.payload);
}

/** Whether a datagram is v2 media (RTP version 2, docs/v2-wire.md section 1). */
const isRtp = (d: Uint8Array): boolean => d[0]! >= 0x80 && d[0]! < 0xc0 && d.length !== 1024;

/** The figures of a client's last `stats` event. */
function lastStats(proc: ManagedProcess): Stats {
  const stats = proc.eventsNamed('stats').at(-1);
  expect(stats, `${proc.label} printed stats`).toBeDefined();
  return stats as unknown as Stats;
}
