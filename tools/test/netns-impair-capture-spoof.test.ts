// The lab's nftables and capture parts on real namespaces: random UDP loss at a router,
// a capture holding exactly the datagrams sent, and datagrams from an attacker host that
// arrive with a victim's forged source, including replays of captured payloads.
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { NetnsLab, UDP_PROBE_BIN } from '../index.mjs';
import type { Netns, NetnsLab as Lab } from '../index.mjs';

const labs: Lab[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
});

interface Received {
  address: string;
  port: number;
  payload: Buffer;
}

/** alice and bob on their own subnets, joined by a forwarding router, plus an attacker host. */
async function network() {
  const lab = await NetnsLab.create();
  labs.push(lab);
  const router = await lab.namespace('router');
  const alice = await lab.namespace('alice');
  const bob = await lab.namespace('bob');
  const attacker = await lab.namespace('attacker');
  const links = {
    alice: await lab.link(router, alice, '10.77.1.0/24'),
    bob: await lab.link(router, bob, '10.77.2.0/24'),
    attacker: await lab.link(router, attacker, '10.77.3.0/24'),
  };
  await lab.route(alice, 'default', links.alice.a);
  await lab.route(bob, 'default', links.bob.a);
  await lab.route(attacker, 'default', links.attacker.a);
  await lab.forwarding(router);
  return { lab, router, alice, bob, attacker, links };
}

/** A UDP listener in `ns`; `received` fills as datagrams arrive. */
async function listen(lab: Lab, ns: Netns, host: string, port: number) {
  const child = lab.spawn(ns, process.execPath, [UDP_PROBE_BIN, 'listen', '--host', host, '--port', String(port)]);
  const received: Received[] = [];
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve) =>
    lines.on('line', (line) => {
      const event = JSON.parse(line);
      if (event.event === 'listening') resolve();
      else received.push({ address: event.address, port: event.port, payload: Buffer.from(event.payload, 'base64') });
    }),
  );
  return received;
}

/** Sends `count` numbered datagrams of `size` bytes from `ns` to `to`, from `fromPort`. */
async function send(lab: Lab, ns: Netns, to: string, options: { count: number; size?: number; fromPort?: number; intervalMs?: number }) {
  const args = [UDP_PROBE_BIN, 'send', '--to', to, '--count', String(options.count), '--size', String(options.size ?? 64)];
  args.push('--from-port', String(options.fromPort ?? 0), '--interval-ms', String(options.intervalMs ?? 1));
  return JSON.parse(await lab.exec(ns, process.execPath, args)).sent as number;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** UDP datagrams a host's kernel dropped because a socket's receive buffer was full (its `Udp: RcvbufErrors`). */
async function receiveBufferErrors(lab: Lab, ns: Netns): Promise<number> {
  const lines = (await lab.exec(ns, 'cat', ['/proc/net/snmp'])).split('\n').filter((line) => line.startsWith('Udp:'));
  const [names, values] = lines.map((line) => line.trim().split(/\s+/));
  const at = names!.indexOf('RcvbufErrors');
  if (at < 0) throw new Error('/proc/net/snmp has no Udp RcvbufErrors');
  return Number(values![at]);
}

describe('NetnsLab nftables and captures', () => {
  test('exec passes stdin to the command', async () => {
    const { lab, alice } = await network();
    expect(await lab.exec(alice, 'cat', [], { input: 'through stdin\n' })).toBe('through stdin\n');
  });

  test('impair drops 10% of the UDP through the router, each way, and its counters account for every datagram', async () => {
    const { lab, router, alice, bob, links } = await network();
    const impairment = await lab.impair(router, { dropPercent: 10, protocol: 'udp' });
    const atBob = await listen(lab, bob, links.bob.b, 6000);
    const atAlice = await listen(lab, alice, links.alice.b, 6000);
    const sent = 2000;
    const overflowBefore = { bob: await receiveBufferErrors(lab, bob), alice: await receiveBufferErrors(lab, alice) };
    await Promise.all([send(lab, alice, `${links.bob.b}:6000`, { count: sent, intervalMs: 0.5 }), send(lab, bob, `${links.alice.b}:6000`, { count: sent, intervalMs: 0.5 })]);
    await settle();
    const counters = await impairment.counters();
    // A listener stalled by a loaded machine can overflow its socket's buffer: the kernel
    // counts those datagrams apart (RcvbufErrors), so the router's own drops are what is left.
    const overflow = { bob: (await receiveBufferErrors(lab, bob)) - overflowBefore.bob, alice: (await receiveBufferErrors(lab, alice)) - overflowBefore.alice };
    const lossBob = (sent - atBob.length - overflow.bob) / sent;
    const lossAlice = (sent - atAlice.length - overflow.alice) / sent;
    console.log(JSON.stringify({ sentEachWay: sent, lossAliceToBob: lossBob, lossBobToAlice: lossAlice, overflow, counters }));
    // Binomial(2000, 0.1): sd 13.4 datagrams; the bounds are over 4.5 sd wide.
    for (const loss of [lossBob, lossAlice]) {
      expect(loss).toBeGreaterThan(0.07);
      expect(loss).toBeLessThan(0.13);
    }
    expect(counters.matched).toBe(2 * sent);
    expect(counters.dropped).toBe(2 * sent - atBob.length - atAlice.length - overflow.bob - overflow.alice);
    await impairment.remove();
    const before = atBob.length;
    await send(lab, alice, `${links.bob.b}:6000`, { count: 200 });
    await settle();
    expect(atBob.length - before, 'nothing is lost once the impairment is removed').toBe(200);
  });

  test('impair limited to one direction leaves the other alone', async () => {
    const { lab, router, alice, bob, links } = await network();
    await lab.impair(router, { dropPercent: 100, protocol: 'udp', direction: { from: '10.77.1.0/24' } });
    const atBob = await listen(lab, bob, links.bob.b, 6000);
    const atAlice = await listen(lab, alice, links.alice.b, 6000);
    await send(lab, alice, `${links.bob.b}:6000`, { count: 50 });
    await send(lab, bob, `${links.alice.b}:6000`, { count: 50 });
    await settle();
    expect([atBob.length, atAlice.length]).toEqual([0, 50]);
  });

  test('a capture holds exactly the datagrams sent, with their addresses, ports and payloads', async () => {
    const { lab, alice, bob, links } = await network();
    const atBob = await listen(lab, bob, links.bob.b, 6000);
    const capture = await lab.capture(bob);
    await send(lab, alice, `${links.bob.b}:6000`, { count: 100, size: 200, fromPort: 5004 });
    await settle();
    const result = await capture.stop();
    expect(result.droppedByKernel).toBe(0);
    expect(result.datagrams).toHaveLength(100);
    expect(atBob).toHaveLength(100);
    result.datagrams.forEach((d, i) => {
      expect(d.source).toEqual({ address: links.alice.b, port: 5004 });
      expect(d.destination).toEqual({ address: links.bob.b, port: 6000 });
      expect(d.truncated).toBe(false);
      expect(d.outgoing).toBe(false);
      expect(Buffer.from(d.payload).readUInt32BE(0)).toBe(i);
      expect(Buffer.from(d.payload).equals(atBob[i]!.payload)).toBe(true);
    });
    expect(result.datagrams[99]!.timeMs).toBeGreaterThanOrEqual(result.datagrams[0]!.timeMs);
  });

  test('a capture refuses a kernel buffer out of range', async () => {
    const { lab, bob } = await network();
    for (const bufferKiB of [1, 63, 1.5, 2 ** 21]) await expect(lab.capture(bob, { bufferKiB })).rejects.toThrow(TypeError);
  });

  test("spoofed datagrams arrive with the victim's address and port, and captured payloads replay through the attacker", async () => {
    const { lab, router, alice, bob, attacker, links } = await network();
    const atBob = await listen(lab, bob, links.bob.b, 6000);
    const capture = await lab.capture(router, { interface: links.alice.aInterface });
    // A real flow from alice:5004 to bob:6000 first, so the forged one shares its tuple.
    await send(lab, alice, `${links.bob.b}:6000`, { count: 5, size: 32, fromPort: 5004 });
    await settle();
    const captured = (await capture.stop()).datagrams;
    expect(captured).toHaveLength(5);

    const spoof = await lab.spoof({ router, from: attacker, as: { address: links.alice.b, port: 5004 }, to: { address: links.bob.b, port: 6000 } });
    const forged = [Buffer.from('forged by the attacker')];
    expect(await spoof.send(forged)).toBe(1);
    expect(await spoof.send(captured.map((d) => d.payload))).toBe(5);
    await settle();
    expect(await spoof.forged()).toBe(6);
    expect(atBob).toHaveLength(11);
    for (const d of atBob) expect({ address: d.address, port: d.port }).toEqual({ address: links.alice.b, port: 5004 });
    expect(atBob[5]!.payload.toString()).toBe('forged by the attacker');
    expect(atBob.slice(6).map((d) => d.payload.toString('hex'))).toEqual(atBob.slice(0, 5).map((d) => d.payload.toString('hex')));

    // The attacker's other traffic is not forged, and alice's real flow still arrives.
    await send(lab, attacker, `${links.bob.b}:6000`, { count: 1, fromPort: 7000 }).catch(() => 0);
    await spoof.remove();
    await spoof.remove().catch(() => undefined);
    await send(lab, attacker, `${links.bob.b}:6000`, { count: 1, fromPort: 7001 });
    await send(lab, alice, `${links.bob.b}:6000`, { count: 1, fromPort: 5004 });
    await settle();
    expect(atBob.slice(11).map((d) => `${d.address}:${d.port}`)).toEqual([`${links.alice.b}:5004`, `${links.attacker.b}:7001`, `${links.alice.b}:5004`]);
  });
});
