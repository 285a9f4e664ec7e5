/** The call machine's tunables, their defaults and its initial state. */
import { checkDurationMs } from '@voip/clock';
import type { CallMachineConfig, MachineState } from './call-machine-types.js';

/** What the linger window adds to the span of the CLOSE repeats, for network delay. */
const LINGER_MARGIN_MS = 500;

/**
 * Default tunables of the call machine (PROTOCOL.md section 2, classic form).
 * `lingerMs` is `repeatCount x repeatIntervalMs + 500`; {@link callMachineConfig}
 * recomputes it from the repeat settings unless it is given.
 */
export const DEFAULT_CALL_TIMING = Object.freeze({
  ringTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  repeatIntervalMs: 150,
  repeatCount: 7,
  lingerMs: 7 * 150 + LINGER_MARGIN_MS,
  statsIntervalMs: 1_000,
});

/** The machine's full state together with the config it runs under. */
export interface CallMachine {
  readonly config: CallMachineConfig;
  readonly state: MachineState;
}

/**
 * Builds a complete config from a name and optional overrides of {@link DEFAULT_CALL_TIMING}.
 * Unless `lingerMs` is given, it covers the whole span of the CLOSE repeats under the
 * resulting `repeatCount` and `repeatIntervalMs`, plus 500 ms.
 */
export function callMachineConfig(selfName: string, overrides: Partial<Omit<CallMachineConfig, 'selfName'>> = {}): CallMachineConfig {
  const given = stripUndefined(overrides);
  const merged = { ...DEFAULT_CALL_TIMING, ...given, selfName };
  const config = given.lingerMs === undefined ? { ...merged, lingerMs: merged.repeatCount * merged.repeatIntervalMs + LINGER_MARGIN_MS } : merged;
  for (const key of ['ringTimeoutMs', 'silenceTimeoutMs', 'repeatIntervalMs', 'lingerMs', 'statsIntervalMs'] as const) {
    const reason = checkDurationMs(config[key]);
    if (reason !== undefined) throw new RangeError(`${key} ${reason}`);
  }
  if (!Number.isInteger(config.repeatCount) || config.repeatCount < 1) throw new RangeError('repeatCount must be a positive integer');
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The state of a machine that waits for calls. */
export function initialMachineState(): MachineState {
  return { phase: { kind: 'idle' }, verifying: [], attempts: 0, directoryLost: false };
}

/** A machine in its initial state under the given config. */
export function createCallMachine(config: CallMachineConfig): CallMachine {
  return { config, state: initialMachineState() };
}
