/** The in-memory registry backend: entries in two maps, nothing kept past the process. */
import { nameKey } from '@voip/protocol';
import { compareNames, checkNewEntry, readCaps } from './entry.js';
import { NameTakenError, OwnerHasNameError, RegistryStorageError } from './errors.js';
import type { NewRegistryEntry, Registry, RegistryEntry } from './registry.js';

/** Options of {@link createMemoryRegistry}. */
export interface MemoryRegistryOptions {
  /** Clock for entries registered without `since`, in epoch ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

interface StoredEntry {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly owner: string;
  readonly since: number;
  readonly version: number;
  /** Canonical JSON text, so that every read returns a fresh copy. */
  readonly caps: string | null;
}

function toEntry(stored: StoredEntry): RegistryEntry {
  return { name: stored.name, ip: stored.ip, port: stored.port, owner: stored.owner, since: new Date(stored.since), version: stored.version, caps: readCaps(stored.caps) };
}

/**
 * A registry held in process memory: nothing survives the process. Each call
 * completes synchronously inside its promise, so concurrent calls cannot interleave.
 * Returned entries are copies: changing one never changes the registry.
 */
export function createMemoryRegistry(options: MemoryRegistryOptions = {}): Registry {
  const now = options.now ?? Date.now;
  const byKey = new Map<string, StoredEntry>();
  const byOwner = new Map<string, StoredEntry>();
  let closed = false;

  function ensureOpen(): void {
    if (closed) throw new RegistryStorageError('the registry is closed', undefined, 'closed');
  }

  return {
    async register(entry: NewRegistryEntry): Promise<RegistryEntry> {
      ensureOpen();
      const { since, version, caps } = checkNewEntry(entry, now);
      const key = nameKey(entry.name);
      // The owner rule first: an owner asking again for its own name is told it already holds one.
      if (byOwner.has(entry.owner)) throw new OwnerHasNameError(entry.owner);
      if (byKey.has(key)) throw new NameTakenError(entry.name);
      const stored: StoredEntry = { name: entry.name, ip: entry.ip, port: entry.port, owner: entry.owner, since, version, caps };
      byKey.set(key, stored);
      byOwner.set(stored.owner, stored);
      return toEntry(stored);
    },

    async lookup(name: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      const stored = byKey.get(nameKey(name));
      return stored === undefined ? undefined : toEntry(stored);
    },

    async list(): Promise<RegistryEntry[]> {
      ensureOpen();
      return [...byKey.values()].sort((a, b) => compareNames(a.name, b.name)).map(toEntry);
    },

    async removeByOwner(owner: string): Promise<RegistryEntry | undefined> {
      ensureOpen();
      const stored = byOwner.get(owner);
      if (stored === undefined) return undefined;
      byOwner.delete(owner);
      byKey.delete(nameKey(stored.name));
      return toEntry(stored);
    },

    async clear(): Promise<void> {
      ensureOpen();
      byKey.clear();
      byOwner.clear();
    },

    async close(): Promise<void> {
      closed = true;
      byKey.clear();
      byOwner.clear();
    },
  };
}
