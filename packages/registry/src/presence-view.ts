/** Who is online on every server sharing one database, held in memory: this server's own entries, and the others' as the table and its notifications tell. */
import { nameKey } from '@voip/protocol';
import { compareNames } from './entry.js';

/** One entry of the view. `caps` is canonical JSON text, so every read can return a fresh copy. */
export interface ViewRow {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly serverId: string;
  readonly connId: string;
  /** Epoch milliseconds. */
  readonly since: number;
  readonly version: number;
  readonly caps: string | null;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * A row of another server as a notification payload or a table read gives it
 * (`server_id`, `conn_id`, `since` in ms or a Date, caps as JSON text, a parsed value
 * or null); undefined when a field is unusable.
 */
export function viewRowOf(raw: Record<string, unknown>): ViewRow | undefined {
  const { name, ip, port, server_id: serverId, conn_id: connId, version } = raw;
  const since = raw.since instanceof Date ? raw.since.getTime() : raw.since;
  if (!isText(name) || !isText(ip) || !isInt(port) || !isText(serverId) || !isText(connId) || !isInt(since) || !isInt(version)) return undefined;
  const caps = raw.caps === null || raw.caps === undefined ? null : typeof raw.caps === 'string' ? raw.caps : JSON.stringify(raw.caps);
  return { name, ip, port, serverId, connId, since, version, caps };
}

/**
 * The view a server answers GET and LIST from, without a query. Its own entries are
 * what it knows its connections hold; the others' are replaced by a read of the table
 * ({@link replaceOthers}) and kept fresh by the notifications the table's trigger
 * sends ({@link applyNotification}), which never concern this server's own rows (it
 * changes those itself).
 */
export class PresenceView {
  private readonly ownByConn = new Map<string, ViewRow>();
  private readonly ownByKey = new Map<string, ViewRow>();
  private othersByKey = new Map<string, ViewRow>();
  private sorted: readonly ViewRow[] | undefined;

  constructor(
    /** This server's id: notifications about its rows are not applied. */
    readonly serverId: string,
  ) {}

  /** Adds an entry of this server (just stored in the table). */
  addOwn(row: ViewRow): void {
    this.ownByConn.set(row.connId, row);
    this.ownByKey.set(nameKey(row.name), row);
    this.sorted = undefined;
  }

  /** Removes the entry of one of this server's connections; returns it, or undefined. */
  removeOwn(connId: string): ViewRow | undefined {
    const row = this.ownByConn.get(connId);
    if (row === undefined) return undefined;
    this.ownByConn.delete(connId);
    this.ownByKey.delete(nameKey(row.name));
    this.sorted = undefined;
    return row;
  }

  /** Removes every entry of this server. */
  clearOwn(): void {
    this.ownByConn.clear();
    this.ownByKey.clear();
    this.sorted = undefined;
  }

  /** True when one of this server's connections holds a name. */
  holdsOwn(connId: string): boolean {
    return this.ownByConn.has(connId);
  }

  /** This server's entries, in no particular order. */
  ownRows(): ViewRow[] {
    return [...this.ownByConn.values()];
  }

  /** Replaces the other servers' entries by those read from the table (rows of this server are skipped). */
  replaceOthers(rows: readonly ViewRow[]): void {
    this.othersByKey = new Map(rows.filter((row) => row.serverId !== this.serverId).map((row) => [nameKey(row.name), row]));
    this.sorted = undefined;
  }

  /**
   * Applies one notification of the table's trigger (JSON text); returns true when the
   * view changed. A payload that does not parse, or that is about this server, changes nothing.
   */
  applyNotification(payload: string): boolean {
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch {
      return false;
    }
    if (typeof message !== 'object' || message === null) return false;
    const fields = message as Record<string, unknown>;
    if (fields.server_id === this.serverId) return false;
    if (fields.op === 'D') {
      const key = fields.name_key;
      const held = typeof key === 'string' ? this.othersByKey.get(key) : undefined;
      if (held === undefined || held.serverId !== fields.server_id || held.connId !== fields.conn_id) return false;
      this.othersByKey.delete(key as string);
      this.sorted = undefined;
      return true;
    }
    if (fields.op !== 'I') return false;
    const row = viewRowOf(fields);
    if (row === undefined) return false;
    this.othersByKey.set(nameKey(row.name), row);
    this.sorted = undefined;
    return true;
  }

  /** The entry holding a name key (this server's first), or undefined. */
  lookup(key: string): ViewRow | undefined {
    return this.ownByKey.get(key) ?? this.othersByKey.get(key);
  }

  /** Every entry, sorted as `Registry.list` promises; the same array until the view changes. */
  list(): readonly ViewRow[] {
    if (this.sorted === undefined) {
      const rows = [...this.ownByKey.values()];
      for (const [key, row] of this.othersByKey) if (!this.ownByKey.has(key)) rows.push(row);
      this.sorted = Object.freeze(rows.sort((a, b) => compareNames(a.name, b.name)));
    }
    return this.sorted;
  }

  /** How many entries the other servers hold. */
  get otherCount(): number {
    return this.othersByKey.size;
  }
}
