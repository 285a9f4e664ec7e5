/** The directory behind the sockets: registry, watchers and events, without I/O of its own. */
import { CAPS_MIN_VERSION, REASON, type DirectoryCaps, type DirectoryUser } from '@voip/protocol';
import { isSharedRegistry, type Registry, type RegistryEntry, type SharedRegistry, type SharedRegistryChange } from '@voip/registry';
import type { ServerEvents } from './events.js';

/** Why a registration was refused. */
export type RegisterFailureCode = 'name-taken' | 'owner-has-name' | 'storage-failed';

/** Outcome of a directory operation; storage failures are results, never throws. */
export type ServiceResult<T, C extends string = 'storage-failed'> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: C; readonly detail: string };

/** Receives the full list of users after every change. */
export type PresenceListener = (users: readonly DirectoryUser[]) => void;

/**
 * How a connection is shown users: `classic` (name, ip, port: exactly the bytes of
 * before v2) or `v2`, for a connection that registered with `v` 2 or later, which
 * also sees the `v` and `caps` of users who registered v2.
 */
export type DirectoryView = 'classic' | 'v2';

/** What a REG announced besides its name and port. */
export interface Announced {
  /** The REG's `v`; absent for a classic client (stored as 1). */
  readonly version?: number;
  /** The REG's `caps`, already checked by `decodeDirectoryRequest`. */
  readonly caps?: DirectoryCaps;
}

/** Both views of the user list, frozen, derived from one registry read. */
interface UserLists {
  readonly classic: readonly DirectoryUser[];
  readonly v2: readonly DirectoryUser[];
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The public view of an entry: what GET, LIST and WATCH show a classic asker. */
export function toDirectoryUser(entry: RegistryEntry): DirectoryUser {
  return { name: entry.name, ip: entry.ip, port: entry.port };
}

/**
 * What GET, LIST and WATCH show a v2 asker: the classic fields, then, for a user who
 * registered with `v` 2 or later, its `v` and (when it sent them) its `caps`.
 */
export function toV2DirectoryUser(entry: RegistryEntry): DirectoryUser {
  if (entry.version < CAPS_MIN_VERSION) return toDirectoryUser(entry);
  return { name: entry.name, ip: entry.ip, port: entry.port, v: entry.version, ...(entry.caps === null ? {} : { caps: entry.caps }) };
}

/** An entry as a view shows it. */
export function viewOf(entry: RegistryEntry, view: DirectoryView): DirectoryUser {
  return view === 'v2' ? toV2DirectoryUser(entry) : toDirectoryUser(entry);
}

/**
 * The directory itself: a {@link Registry}, the connections watching presence, and
 * the events for the dashboard and log. It knows nothing of sockets or bytes.
 * Presence pushes are serialised: after a burst of changes every watcher ends up
 * with the latest list, and never receives an older list after a newer one.
 */
export class DirectoryService {
  private readonly watchers = new Map<string, { readonly listener: PresenceListener; readonly view: DirectoryView }>();
  private broadcastRunning = false;
  private broadcastOwed = false;
  private broadcastDone: Promise<void> = Promise.resolve();
  // The sorted user lists, kept until the next change: LIST, WATCH and pushes share
  // them, so a crowd of clients asking costs one registry read (and one encoding a view).
  private cachedUsers: UserLists | undefined;
  private version = 0;
  // Owners whose connection ended but whose removal the storage refused: their names
  // are removed before the next operation, so no dead entry outlives a storage hiccup.
  private readonly unreleased = new Set<string>();
  private sweeping: Promise<void> | undefined;

  // A registry shared with other servers: its changes are pushed to the watchers here too.
  private readonly shared: SharedRegistry | undefined;
  private readonly unsubscribe: (() => void) | undefined;
  private sharedReportOwed = false;
  private lastAvailable: boolean | undefined;

  constructor(
    /** Where the entries live. */
    readonly registry: Registry,
    private readonly events: ServerEvents,
  ) {
    this.shared = isSharedRegistry(registry) ? registry : undefined;
    this.unsubscribe = this.shared?.onChange((change) => this.sharedChanged(change));
  }

  /** Stops following a shared registry's changes (the server is closing). */
  dispose(): void {
    this.unsubscribe?.();
  }

  /**
   * Says (as a `directory-shared` event) which server this is among those sharing the
   * registry, whether it answers and how many users the others hold; nothing for a
   * registry of this server alone.
   */
  reportShared(detail?: string): void {
    if (this.shared === undefined) return;
    const { serverId, available, otherUsers } = this.shared.status();
    this.lastAvailable = available;
    this.events.emit({ type: 'directory-shared', at: new Date(), serverId, available, otherUsers, ...(detail === undefined ? {} : { detail }) });
  }

  private sharedChanged(change: SharedRegistryChange): void {
    switch (change.kind) {
      case 'lost':
        // Stored again after the database came back, the name had been taken by a user of another server.
        this.events.emit({
          type: 'storage-error',
          at: new Date(),
          operation: 'reassert',
          detail: `the name "${change.name}" was taken on another server while the database was away`,
        });
        this.events.emit({ type: 'unregistered', at: new Date(), connection: change.owner, name: change.name, ip: '' });
        break;
      case 'unavailable':
        this.reportShared(change.detail);
        break;
      case 'available':
        this.reportShared('back, read again from the database');
        break;
      case 'remote':
        // A burst of notifications arrives in one read: one report for all of it.
        if (!this.sharedReportOwed) {
          this.sharedReportOwed = true;
          queueMicrotask(() => {
            this.sharedReportOwed = false;
            if (this.lastAvailable !== false) this.reportShared();
          });
        }
        break;
    }
    this.presenceChanged();
  }

  /**
   * Registers `name` for the connection `owner`, seen from `ip`, with UDP `port` and
   * what its REG announced (version and caps). Names must be valid already.
   */
  async register(owner: string, ip: string, name: string, port: number, announced: Announced = {}): Promise<ServiceResult<RegistryEntry, RegisterFailureCode>> {
    await this.sweep();
    let entry: RegistryEntry;
    try {
      entry = await this.registry.register({ name, ip, port, owner, version: announced.version ?? 1, caps: announced.caps ?? null });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'name-taken') return { ok: false, code, detail: REASON.nameTaken };
      if (code === 'owner-has-name') return { ok: false, code, detail: REASON.alreadyRegistered };
      this.storageError('register', error);
      return { ok: false, code: 'storage-failed', detail: 'the server could not store the name' };
    }
    this.events.emit({ type: 'registered', at: new Date(), connection: owner, name: entry.name, ip: entry.ip, port: entry.port, since: entry.since });
    this.presenceChanged();
    return { ok: true, value: entry };
  }

  /** The user holding `name` (without case), as `view` shows it, or undefined. */
  async lookup(name: string, view: DirectoryView = 'classic'): Promise<ServiceResult<DirectoryUser | undefined>> {
    await this.sweep();
    try {
      const entry = await this.registry.lookup(name);
      return { ok: true, value: entry ? viewOf(entry, view) : undefined };
    } catch (error) {
      this.storageError('lookup', error);
      return { ok: false, code: 'storage-failed', detail: 'the server could not read the directory' };
    }
  }

  /**
   * Every user online, sorted by name, as `view` shows them. The same frozen array is
   * returned for a view until the directory changes, so callers may cache what they
   * derive from it by identity.
   */
  async list(view: DirectoryView = 'classic'): Promise<ServiceResult<readonly DirectoryUser[]>> {
    const lists = await this.lists();
    return lists.ok ? { ok: true, value: lists.value[view] } : lists;
  }

  private async lists(): Promise<ServiceResult<UserLists>> {
    await this.sweep();
    if (this.cachedUsers) return { ok: true, value: this.cachedUsers };
    const version = this.version;
    try {
      const entries = await this.registry.list();
      const freeze = (view: DirectoryView) => Object.freeze(entries.map((entry) => Object.freeze(viewOf(entry, view))));
      const users: UserLists = { classic: freeze('classic'), v2: freeze('v2') };
      if (version === this.version) this.cachedUsers = users;
      return { ok: true, value: users };
    } catch (error) {
      this.storageError('list', error);
      return { ok: false, code: 'storage-failed', detail: 'the server could not read the directory' };
    }
  }

  /**
   * Removes the name of `owner`, if it holds one, and stops its presence watch.
   * Never throws: a storage failure is reported as an event, and the removal is
   * retried before every later operation until it succeeds.
   */
  async release(owner: string): Promise<void> {
    this.watchers.delete(owner);
    this.unreleased.delete(owner);
    await this.remove(owner);
  }

  /** Removes what `owner` holds; on failure remembers it for {@link sweep}. */
  private async remove(owner: string): Promise<boolean> {
    let removed: RegistryEntry | undefined;
    try {
      removed = await this.registry.removeByOwner(owner);
    } catch (error) {
      this.storageError('remove', error);
      this.unreleased.add(owner);
      return false;
    }
    if (removed) {
      this.events.emit({ type: 'unregistered', at: new Date(), connection: owner, name: removed.name, ip: removed.ip });
      this.presenceChanged();
    }
    return true;
  }

  /** Retries the removals the storage refused earlier; stops at the first that fails again. */
  private sweep(): Promise<void> {
    if (this.unreleased.size === 0) return Promise.resolve();
    this.sweeping ??= (async () => {
      try {
        for (const owner of [...this.unreleased]) {
          this.unreleased.delete(owner);
          if (!(await this.remove(owner))) break;
        }
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  /** Sends the presence list, as `view` shows it, to `listener` after every change, until {@link release} or the returned stop. */
  watch(owner: string, listener: PresenceListener, view: DirectoryView = 'classic'): () => void {
    const watcher = { listener, view };
    this.watchers.set(owner, watcher);
    return () => {
      if (this.watchers.get(owner) === watcher) this.watchers.delete(owner);
    };
  }

  /** Number of connections watching presence. */
  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Resolves once every presence push owed so far has been sent. */
  settled(): Promise<void> {
    return this.broadcastDone;
  }

  private presenceChanged(): void {
    this.version++;
    this.cachedUsers = undefined;
    this.broadcastOwed = true;
    if (this.broadcastRunning) return;
    this.broadcastRunning = true;
    this.broadcastDone = this.broadcastLoop();
  }

  private async broadcastLoop(): Promise<void> {
    try {
      while (this.broadcastOwed) {
        this.broadcastOwed = false;
        if (this.watchers.size === 0) continue;
        const users = await this.lists();
        if (!users.ok) continue;
        for (const { listener, view } of [...this.watchers.values()]) listener(users.value[view]);
      }
    } finally {
      this.broadcastRunning = false;
    }
  }

  private storageError(operation: string, error: unknown): void {
    // A shared directory whose database is away said so once (`directory-shared`): every read refused meanwhile would flood the log.
    if (this.shared !== undefined && this.lastAvailable === false && (error as { reason?: unknown } | null)?.reason === 'unreachable') return;
    this.events.emit({ type: 'storage-error', at: new Date(), operation, detail: errorText(error) });
  }
}
