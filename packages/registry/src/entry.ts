import { nameKey } from '@voip/protocol';
import { InvalidEntryError } from './errors.js';
import type { NewRegistryEntry } from './registry.js';

/** Orders names as {@link Registry.list} does: without case, then with. */
export function compareNames(a: string, b: string): number {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Checks what a backend is asked to store and returns its time in epoch
 * milliseconds. Names are not checked against the protocol rules (the caller's job),
 * only for being usable at all.
 */
export function checkNewEntry(entry: NewRegistryEntry, now: () => number): number {
  if (typeof entry.name !== 'string' || entry.name.length === 0) {
    throw new InvalidEntryError('name', 'name must be a non-empty string');
  }
  if (typeof entry.ip !== 'string' || entry.ip.length === 0) {
    throw new InvalidEntryError('ip', 'ip must be a non-empty string');
  }
  if (!Number.isInteger(entry.port) || entry.port < 1 || entry.port > 65535) {
    throw new InvalidEntryError('port', `port must be an integer from 1 to 65535, got ${String(entry.port)}`);
  }
  if (typeof entry.owner !== 'string' || entry.owner.length === 0) {
    throw new InvalidEntryError('owner', 'owner must be a non-empty string');
  }
  if (entry.since === undefined) return now();
  const ms = entry.since instanceof Date ? entry.since.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidEntryError('since', 'since must be a valid Date');
  return ms;
}
