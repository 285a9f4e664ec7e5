// Presence across servers sharing one directory: how long a REG on one server takes to
// reach a WATCH on another (and, for reference, on its own), and how long a SIGKILLed
// server's users stay in another server's LIST. Every wait has a deadline: a figure that
// does not come is reported as missing with the deadline, never waited for.
import { DirectoryLineClient } from './dir-line-client.mjs';
import { stopProcess } from './dir-servers.mjs';
import { percentile } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A watcher that notes when a name first appears in its pushes, measured from a given start. */
async function startWatcher(port, name) {
  const client = await DirectoryLineClient.connect(port);
  await client.register(name);
  const pending = new Map();
  await client.watch((users, at) => {
    for (const user of users) {
      const wait = pending.get(user.name);
      if (wait) {
        pending.delete(user.name);
        wait(at);
      }
    }
  });
  return {
    client,
    /** Resolves with ms from `t0` to the push listing `who`, or null after `timeoutMs`. */
    arrival(who, t0, timeoutMs) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(who);
          resolve(null);
        }, timeoutMs);
        pending.set(who, (at) => {
          clearTimeout(timer);
          resolve(at - t0);
        });
      });
    },
  };
}

function summary(delays, sent, timeoutMs) {
  const got = delays.filter((d) => d !== null).sort((a, b) => a - b);
  return { sent, received: got.length, timedOut: sent - got.length, timeoutMs, p50Ms: percentile(got, 50), p99Ms: percentile(got, 99), maxMs: got.at(-1) ?? null };
}

/**
 * REGs `samples` new names one after another on the server at `regPort`, each from
 * its own connection, and times the push listing it on a watcher of `remotePort` (the
 * figure) and of `regPort` (the reference: the same server). A name not pushed within
 * `timeoutMs` counts as timed out (names start with `prefix`, to run it again on the same servers); once the first `giveUpAfter` names all time out on
 * the other server, it is given up (status 'not propagated') and only the reference goes on.
 */
export async function measureWatchPropagation({ regPort, remotePort, samples = 100, timeoutMs = 2000, giveUpAfter = 3, prefix = '' }) {
  const local = await startWatcher(regPort, `${prefix}watch-local`);
  const remote = await startWatcher(remotePort, `${prefix}watch-remote`);
  const localDelays = [];
  const remoteDelays = [];
  const users = [];
  try {
    for (let i = 0; i < samples; i++) {
      const name = `${prefix}prop-${i}`;
      const user = await DirectoryLineClient.connect(regPort, `127.0.2.${1 + (i % 250)}`);
      users.push(user);
      const t0 = performance.now();
      const arrivals = [local.arrival(name, t0, timeoutMs)];
      const givenUp = remoteDelays.length >= giveUpAfter && remoteDelays.every((d) => d === null);
      if (!givenUp) arrivals.push(remote.arrival(name, t0, timeoutMs));
      await user.register(name);
      const [atLocal, atRemote] = await Promise.all(arrivals);
      localDelays.push(atLocal);
      if (!givenUp) remoteDelays.push(atRemote);
    }
  } finally {
    for (const c of [local.client, remote.client, ...users]) c.close();
  }
  const crossServer = summary(remoteDelays, remoteDelays.length, timeoutMs);
  crossServer.status = crossServer.received === 0 ? 'not propagated' : crossServer.timedOut > 0 ? 'some timed out' : 'ok';
  return { samples, crossServer, sameServer: summary(localDelays, localDelays.length, timeoutMs) };
}

/** Polls `probe`'s LIST every `pollMs` until `done(names)` holds; ms taken, or null after `timeoutMs`. */
async function pollList(probe, done, pollMs, timeoutMs) {
  const t0 = performance.now();
  for (;;) {
    const names = await probe.listNames();
    const elapsed = performance.now() - t0;
    if (done(names)) return { ms: elapsed, names };
    if (elapsed >= timeoutMs) return { ms: null, names };
    await sleep(pollMs);
  }
}

/**
 * Registers `users` names on the server `victim` (`{ child, port }`), waits until the
 * server at `observerPort` lists them all (within `listTimeoutMs`, else 'never listed'),
 * SIGKILLs the victim and times until none of them is in the observer's LIST any more
 * (polled every `pollMs`; 'timed out' after `vanishTimeoutMs`).
 */
export async function measureKilledServerVanish({ victim, observerPort, users = 50, listTimeoutMs = 15_000, vanishTimeoutMs = 30_000, pollMs = 100, prefix = '' }) {
  const names = Array.from({ length: users }, (_, i) => `${prefix}kill-${i}`);
  const clients = [];
  const probe = await DirectoryLineClient.connect(observerPort);
  try {
    for (const [i, name] of names.entries()) {
      const client = await DirectoryLineClient.connect(victim.port, `127.0.3.${1 + (i % 250)}`);
      clients.push(client);
      await client.register(name);
    }
    await probe.register(`${prefix}probe-kill`);
    const listed = await pollList(probe, (seen) => names.every((n) => seen.has(n)), pollMs, listTimeoutMs);
    if (listed.ms === null) {
      const seen = names.filter((n) => listed.names.has(n)).length;
      return { users, status: 'never listed', listedOnObserver: seen, listTimeoutMs, vanishMs: null, vanishTimeoutMs };
    }
    await stopProcess(victim.child, 'SIGKILL');
    const gone = await pollList(probe, (seen) => names.every((n) => !seen.has(n)), pollMs, vanishTimeoutMs);
    const stillListed = names.filter((n) => gone.names.has(n)).length;
    return { users, status: gone.ms === null ? 'timed out' : 'ok', listedAfterMs: listed.ms, vanishMs: gone.ms, stillListed, vanishTimeoutMs };
  } finally {
    for (const c of [probe, ...clients]) c.close();
  }
}
