import type { DirectoryCaps } from '@voip/protocol';

/** A name held in the directory, with where its owner can be called. */
export interface RegistryEntry {
  /** The name as its owner registered it (case kept). */
  readonly name: string;
  /** Source IP of the owner's TCP connection, as the server saw it. */
  readonly ip: string;
  /** The owner's UDP call port. */
  readonly port: number;
  /**
   * Opaque id of the connection that owns the name. On a database shared by several
   * servers, another server's connection reads `serverId/connId`.
   */
  readonly owner: string;
  /** When the name was registered. */
  readonly since: Date;
  /** The directory version the owner announced in REG (`"v"`); 1 when it announced none. */
  readonly version: number;
  /** The media capabilities the owner announced in REG (`"caps"`, canonical form), or null. */
  readonly caps: DirectoryCaps | null;
}

/** What {@link Registry.register} stores. */
export interface NewRegistryEntry {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly owner: string;
  /** Defaults to now. */
  readonly since?: Date;
  /** The directory version announced, an integer from 1; defaults to 1. */
  readonly version?: number;
  /** The media capabilities announced (checked with `decodeDirectoryCaps` of @voip/protocol); defaults to null. */
  readonly caps?: DirectoryCaps | null;
}

/**
 * Storage of who is online. Every backend passes the same contract suite.
 * Names are unique regardless of case; an owner holds at most one name.
 * Names are assumed valid: validation is the caller's job.
 */
export interface Registry {
  /**
   * Stores a name for an owner. Rejects with NameTakenError when the name (in any
   * case) is held, with OwnerHasNameError when the owner already holds a name, and
   * with RegistryStorageError when the storage fails; in every case nothing changes.
   */
  register(entry: NewRegistryEntry): Promise<RegistryEntry>;
  /** The entry for a name, compared without case, or undefined. */
  lookup(name: string): Promise<RegistryEntry | undefined>;
  /** Every entry, sorted by name (without case, then with). */
  list(): Promise<RegistryEntry[]>;
  /**
   * Removes the owner's name; returns what was removed, or undefined if it held none.
   * On a database shared by several servers, only this server's owners count.
   */
  removeByOwner(owner: string): Promise<RegistryEntry | undefined>;
  /** Removes every entry (on a database shared by several servers: every entry of this server). */
  clear(): Promise<void>;
  /** Releases the storage. The registry is unusable afterwards. */
  close(): Promise<void>;
}

/** What a {@link SharedRegistry} announces to its server. */
export type SharedRegistryChange =
  /** Entries of other servers changed (lookups and lists already show it). */
  | { readonly kind: 'remote' }
  /** The storage answers again and the view was rebuilt from it; lookups and lists work again. */
  | { readonly kind: 'available' }
  /** The storage stopped answering: lookups and lists reject until `available`. */
  | { readonly kind: 'unavailable'; readonly detail: string }
  /**
   * An entry of this server could not be stored again after the storage came back (another
   * server's user took the name meanwhile): it is no longer in the directory.
   */
  | { readonly kind: 'lost'; readonly owner: string; readonly name: string };

/** How a {@link SharedRegistry} stands, for dashboards and logs. */
export interface SharedRegistryStatus {
  /** This server's id among those sharing the storage. */
  readonly serverId: string;
  /** False while the storage does not answer (lookups and lists reject). */
  readonly available: boolean;
  /** Entries held by the other servers. */
  readonly otherUsers: number;
}

/** A registry that several servers share: changes made by the others are announced. */
export interface SharedRegistry extends Registry {
  readonly serverId: string;
  /** Subscribes to the changes (listeners run synchronously); returns the unsubscribe function. */
  onChange(listener: (change: SharedRegistryChange) => void): () => void;
  status(): SharedRegistryStatus;
}

/** True for a registry shared by several servers (the PostgreSQL backend). */
export function isSharedRegistry(registry: Registry): registry is SharedRegistry {
  return typeof (registry as Partial<SharedRegistry>).onChange === 'function' && typeof (registry as Partial<SharedRegistry>).status === 'function';
}
