import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { eventTimeMs, type JsonEvent, type ManagedProcess } from './processes.js';
import { matchSignal } from './wav.js';

/** Waits `ms` of real time (audio needs it to flow). */
export function sleep(ms: number): Promise<void> {
  return delay(ms);
}

/** Whether a `users` event lists `name` (with `port` when given) at 127.0.0.1. */
export function listsUser(event: JsonEvent, name: string, port?: number): boolean {
  if (event.event !== 'users' || !Array.isArray(event.users)) return false;
  return (event.users as Array<Record<string, unknown>>).some((u) => u.name === name && u.ip === '127.0.0.1' && (port === undefined || u.port === port));
}

/** Milliseconds between two events of the same process, from their `time` fields. */
export function elapsedMs(from: JsonEvent, to: JsonEvent): number {
  const ms = eventTimeMs(to) - eventTimeMs(from);
  expect(Number.isFinite(ms), `events carry a parsable "time": ${JSON.stringify(from)} ${JSON.stringify(to)}`).toBe(true);
  return ms;
}

/** Asserts every stdout line of a `--no-tui` process was a JSON object. */
export function expectOnlyJsonLines(proc: ManagedProcess): void {
  expect(proc.nonJsonLines, `${proc.label} printed non-JSON stdout lines`).toEqual([]);
}

/**
 * Asserts `received` holds `sent` bit-exact from its first non-silent sample on, that
 * the signal starts on a frame boundary, and that nothing but silence precedes it.
 */
export function expectBitExact(received: Int16Array, sent: Int16Array, what: string, frameSamples = 512): void {
  const m = matchSignal(received, sent, 0);
  const summary = `${what}: received ${received.length} samples, signal found at ${m.offset}, ${m.available}/${sent.length} available, ${m.mismatches} mismatches (first at ${m.firstMismatch}, max difference ${m.maxDifference})`;
  expect(m.offset, summary).toBeGreaterThanOrEqual(0);
  expect(m.mismatches, summary).toBe(0);
  expect(m.offset % frameSamples, `${summary}; the signal should start on a ${frameSamples}-sample frame boundary`).toBe(0);
}
