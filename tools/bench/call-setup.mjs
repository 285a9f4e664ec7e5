// Call set-up through the impairment relay: of `calls` calls between real Phones, how many connect on both ends, and how long the caller waits.
//
// Each call is a fresh pair of phones and a fresh relay (seeded by the call's number),
// so no call inherits the linger of the one before. The set-up time runs from
// `call()` to its resolution (the caller connected); a call succeeds when both ends
// report `connected` within `limitMs`. Classic and v2 calls run side by side, `concurrency`
// of each at a time.
import { openPhonePair } from './call-phones.mjs';
import { rankPercentile } from './stats.mjs';

const round = (x) => (x === null ? null : Math.round(x * 10) / 10);

/** One call: resolves with `{ ok, ms, reason? }`. */
async function oneCall({ directoryPort, protocol, profile, id, limitMs }) {
  const pair = await openPhonePair({ directoryPort, protocol, profile, seed: 1000 + id, id });
  const { caller, callee, calleeName } = pair;
  let timer;
  try {
    const ends = { caller: false, callee: false };
    const calleeConnected = callee.once('connected').then((args) => ((ends.callee = true), args));
    const callerConnected = caller.once('connected').then((args) => ((ends.caller = true), args));
    const started = performance.now();
    const unconnected = () =>
      Object.keys(ends)
        .filter((end) => !ends[end])
        .join(' and ');
    const limit = new Promise((resolve) => (timer = setTimeout(() => resolve({ ok: false, reason: `${unconnected()} not connected within ${limitMs} ms` }), limitMs)));
    const outcome = await Promise.race([
      (async () => {
        await caller.call(calleeName);
        const ms = performance.now() - started;
        const [[mine]] = await Promise.all([callerConnected, calleeConnected]);
        return mine.protocol === protocol ? { ok: true, ms } : { ok: false, reason: `a ${mine.protocol} call` };
      })().catch((error) => ({ ok: false, reason: error?.reason ?? error?.code ?? String(error) })),
      limit,
    ]);
    return outcome;
  } finally {
    clearTimeout(timer);
    caller.hangup();
    await pair.close();
  }
}

/**
 * `calls` calls of `protocol` on `profile`, `concurrency` at a time; resolves with the
 * successes, the set-up times' p50/p99 and the failures' reasons.
 */
export async function measureSetup({ directoryPort, protocol, profile, calls = 100, concurrency = 10, limitMs = 15_000, idBase = 0 }) {
  const times = [];
  const failures = {};
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      const id = idBase + next++;
      const outcome = await oneCall({ directoryPort, protocol, profile, id, limitMs });
      if (outcome.ok) times.push(outcome.ms);
      else failures[outcome.reason] = (failures[outcome.reason] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls) }, worker));
  times.sort((a, b) => a - b);
  return {
    protocol,
    profile,
    calls,
    connected: times.length,
    setupP50Ms: round(rankPercentile(times, 0.5)),
    setupP99Ms: round(rankPercentile(times, 0.99)),
    setupMaxMs: round(times.at(-1) ?? null),
    failures,
  };
}
