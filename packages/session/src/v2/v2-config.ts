/** The v2 call machine's tunables, their defaults and its initial state. */
import { checkDurationMs } from '@voip/clock';
import { DEFAULT_V2_CAPS, systemRandom } from '@voip/protocol/v2';
import type { V2Config, V2State } from './v2-types.js';

/** Default timing of v2 signalling: retransmissions at 100, 200, 400, 800 then every 1 600 ms, given up after 8 s. */
export const DEFAULT_V2_TIMING = Object.freeze({
  ringTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  statsIntervalMs: 1_000,
  retransmitFirstMs: 100,
  retransmitMaxMs: 1_600,
  transactionTimeoutMs: 8_000,
  lingerMs: 10_000,
});

/** A complete config from a name and overrides; `lingerMs` defaults to the transaction timeout + 2 000. Throws a RangeError for a bad duration. */
export function v2Config(selfName: string, overrides: Partial<Omit<V2Config, 'selfName'>> = {}): V2Config {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<V2Config>;
  const merged = { ...DEFAULT_V2_TIMING, caps: DEFAULT_V2_CAPS, random: systemRandom, ...given, selfName };
  const config = given.lingerMs === undefined ? { ...merged, lingerMs: merged.transactionTimeoutMs + 2_000 } : merged;
  for (const key of ['ringTimeoutMs', 'silenceTimeoutMs', 'statsIntervalMs', 'retransmitFirstMs', 'retransmitMaxMs', 'transactionTimeoutMs', 'lingerMs'] as const) {
    const reason = checkDurationMs(config[key]);
    if (reason !== undefined) throw new RangeError(`${key} ${reason}`);
  }
  return config;
}

/** A v2 machine with no call. */
export function initialV2State(): V2State {
  return { recent: [], transactions: [], elsewhere: false };
}
