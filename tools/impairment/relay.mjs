#!/usr/bin/env node
// A UDP impairment relay: datagrams from a client to a target and back, each way lost, delayed, reordered or duplicated on a seeded schedule.
//
// One socket per side: the listening socket takes the client's datagrams (the client
// is whoever sent the last one) and sends the target's replies back to it; the
// upstream socket, on an ephemeral port, sends to the target and takes its replies.
// Usage: node tools/impairment/relay.mjs --listen [HOST:]PORT --to HOST:PORT [options]
// (see README.md); prints one JSON line when listening and one with the counters on
// SIGINT/SIGTERM.
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseRelayArgs, usage } from './options.mjs';
import { decide, directionSeed, initialState, normaliseProfile } from './schedule.mjs';

/**
 * @typedef {import('./schedule.mjs').Profile} Profile
 * @typedef {{ host: string, port: number }} Endpoint
 * @typedef {object} DirectionCounters
 * @property {number} received datagrams that reached the relay in this direction
 * @property {number} forwarded datagrams sent on (duplicates included)
 * @property {number} dropped datagrams dropped, for any reason
 * @property {number} droppedRandom dropped by random loss
 * @property {number} droppedBurst dropped by burst loss
 * @property {number} delayed datagrams sent later than they arrived (delay, jitter or hold-back)
 * @property {number} reordered datagrams held back to be overtaken
 * @property {number} duplicated datagrams sent twice
 * @property {number} inFlight copies waiting for their send time
 *
 * @typedef {object} RelayOptions
 * @property {Endpoint} listen where clients send (port 0: any free port)
 * @property {Endpoint} to the target
 * @property {number} [seed] seed of both directions' schedules (default 1)
 * @property {Profile} [profile] impairments of both directions
 * @property {Profile} [forward] client -> target impairments (instead of `profile`)
 * @property {Profile} [backward] target -> client impairments (instead of `profile`)
 * @property {(fn: () => void, ms: number) => unknown} [setTimeout] the scheduler (default the real one)
 * @property {(handle: unknown) => void} [clearTimeout]
 */

function counters() {
  return { received: 0, forwarded: 0, dropped: 0, droppedRandom: 0, droppedBurst: 0, delayed: 0, reordered: 0, duplicated: 0, inFlight: 0 };
}

/** Binds a UDP socket of the family of `host`. @param {string} host @param {number} port @returns {Promise<dgram.Socket>} */
function bind(host, port) {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * Starts a relay. @param {RelayOptions} options
 * @returns {Promise<{ address: Endpoint, upstream: Endpoint, counters: () => { forward: DirectionCounters, backward: DirectionCounters }, close: () => Promise<void> }>}
 */
export async function startRelay(options) {
  const set = options.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  const clear = options.clearTimeout ?? ((handle) => clearTimeout(/** @type {NodeJS.Timeout} */ (handle)));
  const seed = options.seed ?? 1;
  const listen = await bind(options.listen.host, options.listen.port);
  const upstreamHost = options.to.host.includes(':') ? '::' : options.to.host.startsWith('127.') ? '127.0.0.1' : '0.0.0.0';
  const upstream = await bind(upstreamHost, 0).catch((error) => {
    listen.close();
    throw error;
  });
  /** @type {Endpoint | undefined} */
  let client;
  const timers = new Set();
  const direction = (name, profile) => ({
    profile: normaliseProfile(profile ?? options.profile ?? {}),
    state: initialState(directionSeed(seed, name)),
    counts: counters(),
  });
  const forward = direction('forward', options.forward);
  const backward = direction('backward', options.backward);

  /** Applies one direction's schedule to a datagram. */
  const relay = (dir, datagram, send) => {
    const step = decide(dir.state, dir.profile);
    dir.state = step.state;
    const { decision } = step;
    const c = dir.counts;
    c.received++;
    if (decision.drop) {
      c.dropped++;
      if (decision.drop === 'burst') c.droppedBurst++;
      else c.droppedRandom++;
      return;
    }
    if (decision.reordered) c.reordered++;
    if (decision.duplicated) c.duplicated++;
    if (decision.delaysMs[0] > 0) c.delayed++;
    for (const ms of decision.delaysMs) {
      if (ms <= 0) {
        c.forwarded++;
        send(datagram);
        continue;
      }
      c.inFlight++;
      const timer = set(() => {
        timers.delete(timer);
        c.inFlight--;
        c.forwarded++;
        send(datagram);
      }, ms);
      timers.add(timer);
    }
  };

  const ignore = () => {}; // a send that fails (no route, peer gone) is a loss like any other
  listen.on('message', (datagram, from) => {
    client = { host: from.address, port: from.port };
    relay(forward, datagram, (d) => upstream.send(d, options.to.port, options.to.host, ignore));
  });
  upstream.on('message', (datagram, from) => {
    // Only the target's replies (by port, and by address when given as one), once a client is known.
    if (!client || from.port !== options.to.port || (isIP(options.to.host) && from.address !== options.to.host)) return;
    const to = client;
    relay(backward, datagram, (d) => listen.send(d, to.port, to.host, ignore));
  });
  listen.on('error', ignore);
  upstream.on('error', ignore);

  const address = listen.address();
  const up = upstream.address();
  return {
    address: { host: address.address, port: address.port },
    upstream: { host: up.address, port: up.port },
    counters: () => ({ forward: { ...forward.counts }, backward: { ...backward.counts } }),
    async close() {
      for (const timer of timers) clear(timer);
      timers.clear();
      await Promise.all([listen, upstream].map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))));
    },
  };
}

/** The command line: starts a relay, prints JSON lines, stops on SIGINT or SIGTERM. @param {string[]} argv */
async function main(argv) {
  let options;
  try {
    options = parseRelayArgs(argv);
  } catch (error) {
    process.stderr.write(`relay: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    process.exit(2);
  }
  const relay = await startRelay(options);
  process.stdout.write(`${JSON.stringify({ event: 'listening', ...relay.address, upstream: relay.upstream, to: options.to, seed: options.seed })}\n`);
  const stop = async () => {
    const final = relay.counters();
    await relay.close();
    process.stdout.write(`${JSON.stringify({ event: 'stats', ...final })}\n`);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
