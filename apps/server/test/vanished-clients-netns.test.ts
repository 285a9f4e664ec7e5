/**
 * Clients whose machine vanishes (no FIN, no reset) leave the directory: the server
 * runs in one network namespace, the client's host in another, and the host is cut
 * off with nftables (its socket stays open) while other users register, so presence
 * pushes to a watcher go out and stay unacknowledged. Needs root (`ip netns`, `nft`).
 */
import { createInterface } from 'node:readline';
import { NetnsLab, type Netns } from '@voip/tools';
import { afterEach, describe, expect, it } from 'vitest';
import { LINE_CLIENTS_BIN, LineClients } from './support/line-clients.js';
import { SERVER_BIN } from './support/spawn-server.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('vanished-clients-netns.test.ts: skipped, it needs root to create network namespaces');

const PORT = 10000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Drops every packet in and out of the namespace it is loaded in: the host is gone, its sockets stay open. */
const CUT_OFF = `table inet vanish {
  chain input { type filter hook input priority 0; policy drop; }
  chain output { type filter hook output priority 0; policy drop; }
}
`;

interface Disconnected {
  readonly connection: string;
  readonly reason: string;
  readonly detail?: string;
  readonly at: number;
}

describe.skipIf(!isRoot)('a client whose machine vanishes', () => {
  let lab: NetnsLab | undefined;
  afterEach(async () => {
    await lab?.dispose();
    lab = undefined;
  }, 30_000);

  /** The server on `directory` (10.79.1.1), a host `laptop` (10.79.1.2) linked to it, and line clients on both. */
  async function network(serverArgs: readonly string[]) {
    lab = await NetnsLab.create();
    const directory = await lab.namespace('directory');
    const laptop: Netns = await lab.namespace('laptop');
    const link = await lab.link(directory, laptop, '10.79.1.0/24');
    const server = lab.spawn(directory, process.execPath, [SERVER_BIN, '--no-tui', '--log', 'json', '--db', 'memory', '--host', link.a, '--port', String(PORT), ...serverArgs]);
    const disconnected: Disconnected[] = [];
    const registered = new Map<string, string>();
    /** When the server removed each name, by its own log. */
    const unregistered = new Map<string, number>();
    const listening = new Promise<void>((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      createInterface({ input: server.stdout }).on('line', (line) => {
        const event = JSON.parse(line) as { time: string; event: string; connection: string; name: string; reason: string; detail?: string };
        const at = Date.parse(event.time);
        if (event.event === 'listening') resolve();
        if (event.event === 'registered') registered.set(event.name, event.connection);
        if (event.event === 'unregistered') unregistered.set(event.name, at);
        if (event.event === 'disconnected') disconnected.push({ connection: event.connection, reason: event.reason, ...(event.detail ? { detail: event.detail } : {}), at });
      });
    });
    await listening;
    const local = new LineClients(lab.spawn(directory, process.execPath, [LINE_CLIENTS_BIN, link.a, String(PORT)]));
    const remote = new LineClients(lab.spawn(laptop, process.execPath, [LINE_CLIENTS_BIN, link.a, String(PORT)]));
    expect(await local.request('observer', { command: 'REG', name: 'observer' })).toEqual({ ack: 'Registered successfully' });
    /** Why the connection that registered `name` ended, once the server logged it. */
    const whyGone = async (name: string) => {
      const connection = registered.get(name);
      for (let i = 0; i < 100; i++) {
        const found = disconnected.find((d) => d.connection === connection);
        if (found) return found;
        await sleep(100);
      }
      throw new Error(`no disconnected event for ${name}`);
    };
    return { lab, directory, laptop, link, local, remote, unregistered, whyGone };
  }

  /**
   * Cuts the laptop off, then registers a new user every second (each a push to every
   * watcher) and asks LIST every 250 ms until `name` is gone. Returns how long after the
   * cut the server removed it (by its log; the cut time is taken before the rule goes
   * in, so the figure errs long), and the largest send queue seen on the server's socket
   * to the laptop.
   */
  async function cutAndWait(net: Awaited<ReturnType<typeof network>>, name: string, timeoutMs: number, registerEveryMs = 1000) {
    const cutAt = Date.now();
    await net.lab.exec(net.laptop, 'nft', ['-f', '-'], { input: CUT_OFF });
    let maxSendQueue = 0;
    let others = 0;
    let lastReg = 0;
    for (;;) {
      const now = Date.now();
      if (now - cutAt > timeoutMs) throw new Error(`${name} still listed ${timeoutMs} ms after the cut`);
      if (now - lastReg >= registerEveryMs) {
        lastReg = now;
        const id = `other-${++others}`;
        expect(await net.local.request(id, { command: 'REG', name: id })).toEqual({ ack: 'Registered successfully' });
      }
      // Recv-Q and Send-Q of the server's connection to the laptop (the state filter drops the State column).
      const ss = await net.lab.exec(net.directory, 'ss', ['-tnH', 'state', 'established', 'dst', net.link.b]);
      for (const line of ss.trim().split('\n').filter(Boolean)) maxSendQueue = Math.max(maxSendQueue, Number(line.trim().split(/\s+/)[1]));
      const list = await net.local.request('observer', { command: 'LIST' });
      const names = (list['users'] as { name: string }[]).map((u) => u.name);
      if (!names.includes(name)) return { elapsedMs: net.unregistered.get(name)! - cutAt, maxSendQueue };
      await sleep(250);
    }
  }

  it('leaves the directory within a lowered --silence-limit when it announced the keep-alive and watches, while pushes to it go unacknowledged', async () => {
    const net = await network(['--silence-limit', '5']);
    expect(await net.remote.request('w', { command: 'REG', name: 'vanishing', v: 2 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await net.remote.request('w', { command: 'WATCH' })).toMatchObject({ event: 'presence' });
    const { elapsedMs, maxSendQueue } = await cutAndWait(net, 'vanishing', 20_000);
    console.log(`v2 watcher, --silence-limit 5: gone ${elapsedMs} ms after the cut; up to ${maxSendQueue} bytes unacknowledged meanwhile`);
    expect(maxSendQueue).toBeGreaterThan(0);
    expect(elapsedMs).toBeLessThanOrEqual(5000 + 500);
    expect(await net.whyGone('vanishing')).toMatchObject({ reason: 'silent' });
    // Its side never saw a close: the socket is open, only the network is gone.
    expect(net.remote.isClosed('w')).toBe(false);
  }, 60_000);

  it('leaves the directory within 30 s on the default limits, watcher and keep-alive client', async () => {
    const net = await network([]);
    expect(await net.remote.request('w', { command: 'REG', name: 'vanishing', v: 2 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await net.remote.request('w', { command: 'WATCH' })).toMatchObject({ event: 'presence' });
    const { elapsedMs, maxSendQueue } = await cutAndWait(net, 'vanishing', 45_000);
    console.log(`v2 watcher, default limits: gone ${elapsedMs} ms after the cut; up to ${maxSendQueue} bytes unacknowledged meanwhile`);
    expect(maxSendQueue).toBeGreaterThan(0);
    // The silence limit counts from the last byte received, which came just before the cut
    // (the worst case: a client that pings every 10 s has gone quiet 5 s earlier on average);
    // the rest is the timer's lateness and the removal, milliseconds.
    expect(elapsedMs).toBeLessThanOrEqual(30_000 + 500);
    expect(await net.whyGone('vanishing')).toMatchObject({ reason: 'silent' });
  }, 90_000);

  it('is removed by TCP keep-alive when it is a classic client that only registered', async () => {
    const net = await network([]);
    expect(await net.remote.request('c', { command: 'REG', name: 'classic' })).toEqual({ ack: 'Registered successfully' });
    const { elapsedMs, maxSendQueue } = await cutAndWait(net, 'classic', 60_000);
    console.log(`classic idle client, default limits: gone ${elapsedMs} ms after the cut; send queue at most ${maxSendQueue}`);
    expect(maxSendQueue).toBe(0);
    expect(await net.whyGone('classic')).toMatchObject({ reason: 'socket-error', detail: 'ETIMEDOUT' });
    // 10 s without traffic, then 10 probes 1 s apart (libuv's setting on Linux): about 20 s.
    expect(elapsedMs).toBeGreaterThan(15_000);
    expect(elapsedMs).toBeLessThanOrEqual(25_000);
  }, 90_000);

  it('is closed by the write timeout when it is a version 1 watcher of a busy directory, once its pushes fill the send buffer', async () => {
    const net = await network(['--write-timeout', '5']);
    // 150 users with long names: every push is about 10 KB.
    for (let i = 0; i < 150; i++) {
      const id = `user-${String(i).padStart(27, '0')}`;
      expect(await net.local.request(id, { command: 'REG', name: id })).toEqual({ ack: 'Registered successfully' });
    }
    expect(await net.remote.request('w', { command: 'REG', name: 'old watcher', v: 1 })).toEqual({ ack: 'Registered successfully', v: 2 });
    expect(await net.remote.request('w', { command: 'WATCH' })).toMatchObject({ event: 'presence' });
    const { elapsedMs, maxSendQueue } = await cutAndWait(net, 'old watcher', 40_000, 250);
    console.log(`v1 watcher of 150 users, --write-timeout 5: gone ${elapsedMs} ms after the cut; up to ${maxSendQueue} bytes unacknowledged meanwhile`);
    expect(await net.whyGone('old watcher')).toMatchObject({ reason: 'slow-consumer' });
    expect(elapsedMs).toBeGreaterThan(5000);
  }, 90_000);
});
