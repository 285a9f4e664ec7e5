/** What every backend checks before storing an entry, how it writes and reads back `caps`, and the order of `list()`. */
import { decodeDirectoryCaps, nameKey, type DirectoryCaps } from '@voip/protocol';
import { InvalidEntryError, RegistryStorageError } from './errors.js';
import type { NewRegistryEntry } from './registry.js';

/** Orders names as {@link Registry.list} does: without case, then with. */
export function compareNames(a: string, b: string): number {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A new entry's values as a backend stores them. */
export interface CheckedEntry {
  /** Epoch milliseconds. */
  readonly since: number;
  /** The directory version, 1 when none was given. */
  readonly version: number;
  /** The caps as canonical JSON text, or null. */
  readonly caps: string | null;
}

/**
 * Checks what a backend is asked to store and returns the values to store. Names
 * are not checked against the protocol rules (the caller's job), only for being
 * usable at all; caps must pass `decodeDirectoryCaps` of @voip/protocol, which also
 * bounds their size, and are stored in its canonical form.
 */
export function checkNewEntry(entry: NewRegistryEntry, now: () => number): CheckedEntry {
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
  const version = entry.version ?? 1;
  if (!Number.isSafeInteger(version) || version < 1 || version > 0x7fffffff) {
    throw new InvalidEntryError('version', `version must be an integer from 1 to 2^31-1, got ${String(entry.version)}`);
  }
  let caps: string | null = null;
  if (entry.caps !== undefined && entry.caps !== null) {
    const decoded = decodeDirectoryCaps(entry.caps);
    if (!decoded.ok) throw new InvalidEntryError('caps', `caps are unusable: ${decoded.detail}`);
    caps = JSON.stringify(decoded.value);
  }
  if (entry.since === undefined) return { since: now(), version, caps };
  const ms = entry.since instanceof Date ? entry.since.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidEntryError('since', 'since must be a valid Date');
  return { since: ms, version, caps };
}

/**
 * Caps as read back from storage (JSON text, or the value a driver parsed it to) to
 * a fresh object that no later read shares; null stays null. A stored value that is
 * not caps any more is a RegistryStorageError, never passed on.
 */
export function readCaps(stored: unknown): DirectoryCaps | null {
  if (stored === null || stored === undefined) return null;
  let value: unknown = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored);
    } catch (error) {
      throw new RegistryStorageError('stored caps are not JSON', error);
    }
  }
  const decoded = decodeDirectoryCaps(value);
  if (!decoded.ok) throw new RegistryStorageError(`stored caps are unusable: ${decoded.detail}`);
  return decoded.value;
}
