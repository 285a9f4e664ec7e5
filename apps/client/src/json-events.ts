/**
 * The JSON event lines of `voip-client --no-tui`: every {@link PhoneEvent} but `state`
 * and `history`, one object a line on stdout, `{"event": ..., "time": ISO8601, ...fields}`.
 */
import type { CallStats, DirectoryUser } from './phone-contract.js';
import type { PhoneEvent } from './phone-events.js';

/** The events written as JSON lines. */
export type JsonEvent = Exclude<PhoneEvent, { readonly event: 'state' | 'history' }>;

/** Whether an event is written as a JSON line (`state` and `history` are for the TUI). */
export function isJsonEvent(event: PhoneEvent): event is JsonEvent {
  return event.event !== 'state' && event.event !== 'history';
}

/**
 * One event as a JSON line (with its trailing `\n`). Call figures are the documented
 * ones only, durations in whole ms, levels to 0.01 dB, jitter and playout delay to
 * 0.1 ms; levels of silence (-Infinity dBFS), which JSON cannot hold, are written as
 * `null`. A `connected`
 * line always carries `protocol`, `secure` and `sas` (null in a classic call).
 */
export function formatEventLine(event: JsonEvent, time: Date): string {
  const { event: name, ...fields } = event;
  const out: Record<string, unknown> = { event: name, time: time.toISOString() };
  const values = name === 'stats' ? statsFields(fields as unknown as CallStats) : fields;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === 'users') out[key] = (value as readonly DirectoryUser[]).map((u) => ({ name: u.name, ip: u.ip, port: u.port }));
    else if (key === 'stats') out[key] = jsonNumbers(statsFields(value as CallStats));
    else out[key] = jsonNumber(value);
  }
  return `${JSON.stringify(out)}\n`;
}

function statsFields(stats: CallStats): Record<string, number> {
  const level = (dbfs: number): number => (Number.isFinite(dbfs) ? Math.round(dbfs * 100) / 100 : dbfs);
  const tenth = (ms: number): number => Math.round(ms * 10) / 10;
  return {
    packetsSent: stats.packetsSent,
    packetsReceived: stats.packetsReceived,
    packetsLost: stats.packetsLost,
    packetsDropped: stats.packetsDropped,
    inputLevelDbfs: level(stats.inputLevelDbfs),
    outputLevelDbfs: level(stats.outputLevelDbfs),
    durationMs: Math.round(stats.durationMs),
    packetsRejected: stats.packetsRejected,
    packetsReplayed: stats.packetsReplayed,
    packetsLate: stats.packetsLate,
    packetsConcealed: stats.packetsConcealed,
    jitterMs: tenth(stats.jitterMs),
    playoutDelayMs: tenth(stats.playoutDelayMs),
  };
}

function jsonNumbers(fields: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, jsonNumber(v) as number | null]));
}

function jsonNumber(value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
