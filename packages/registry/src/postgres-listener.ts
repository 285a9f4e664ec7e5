/** The LISTEN connection of the PostgreSQL registry: one pool connection held for notifications, checked on demand, and taken again after it is lost. */
import type { PostgresPool } from 'kysely';
import { RegistryStorageError } from './errors.js';
import { PRESENCE_CHANNEL } from './postgres-schema.js';

/** What the listener tells its registry. */
export interface ListenerHooks {
  /** A notification on the presence channel (its payload). */
  notified(payload: string): void;
  /**
   * The connection listens again (or for the first time): read the table now.
   * Notifications that come meanwhile are delivered as usual. Rejecting drops the
   * connection and tries again later.
   */
  connected(): Promise<void>;
  /** The connection was lost (the registry's view is stale from now until `connected`). */
  lost(error: unknown): void;
}

/** Options of {@link startPresenceListener}. */
export interface ListenerOptions {
  /** Shown in `pg_stat_activity.application_name`, so an operator (or a test) can tell the connection. */
  readonly applicationName: string;
  /** First wait before connecting again after a loss, in ms; doubles up to {@link maxRetryMs}. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
}

/** A running listener. */
export interface PresenceListener {
  /** A round trip on the listening connection; a failure drops it (and it is taken again). */
  check(): Promise<void>;
  /** Releases the connection; nothing is retried afterwards. */
  close(): Promise<void>;
}

/** The part of pg's PoolClient the listener uses (kysely's PostgresPoolClient has no events). */
interface ListeningClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
  release(error?: unknown): void;
  on(event: string, listener: (value: never) => void): unknown;
  removeAllListeners(event: string): unknown;
}

function isListeningClient(client: unknown): client is ListeningClient {
  const c = client as Partial<ListeningClient>;
  return typeof c.on === 'function' && typeof c.removeAllListeners === 'function';
}

/**
 * Takes a connection from `pool`, LISTENs on the presence channel and calls
 * `hooks.connected`. Resolves once that first round succeeded; rejects (and holds
 * nothing) if it failed. After that, a lost connection is reported to `hooks.lost`
 * and taken again, with growing waits, until {@link PresenceListener.close}.
 */
export async function startPresenceListener(pool: PostgresPool, hooks: ListenerHooks, options: ListenerOptions): Promise<PresenceListener> {
  let current: { readonly client: ListeningClient; drop(error: unknown): void } | undefined;
  let closed = false;
  // False until the first round succeeded: until then a failure is the caller's to hear, and nothing is retried.
  let ready = false;
  let retryMs = options.retryMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  async function connect(initial: boolean): Promise<void> {
    const client: unknown = await pool.connect();
    if (!isListeningClient(client)) {
      (client as { release(): void }).release();
      throw new RegistryStorageError('the pool hands out connections without events (a pg Pool is needed to LISTEN)', undefined, 'config');
    }
    let dropped = false;
    const drop = (error: unknown) => {
      if (dropped) return;
      dropped = true;
      if (current?.client === client) current = undefined;
      client.removeAllListeners('notification');
      // An error listener stays: pg may still report the broken socket.
      // Released with an error, pg closes the connection instead of pooling it.
      client.release(error instanceof Error ? error : new Error('dropped'));
      if (!closed && ready) {
        hooks.lost(error);
        scheduleRetry();
      }
    };
    client.on('notification', (message: { channel: string; payload?: string }) => {
      if (!dropped && message.channel === PRESENCE_CHANNEL) hooks.notified(message.payload ?? '');
    });
    client.on('error', (error: Error) => drop(error));
    client.on('end', () => drop(new RegistryStorageError('the listening connection ended', undefined, 'unreachable')));
    try {
      await client.query('select set_config($1, $2, false)', ['application_name', options.applicationName]);
      await client.query(`listen ${PRESENCE_CHANNEL}`);
      current = { client, drop };
      await hooks.connected();
      retryMs = options.retryMs;
    } catch (error) {
      // The first attempt that failed holds nothing and retries nothing: the caller is told.
      if (initial) {
        if (current?.client === client) current = undefined;
        if (dropped) throw error;
        dropped = true;
        client.removeAllListeners('notification');
        client.release(error instanceof Error ? error : new Error('failed'));
      } else drop(error);
      throw error;
    }
  }

  function scheduleRetry(): void {
    if (closed || retryTimer !== undefined) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect(false).catch(() => {
        // Still unreachable (or the read failed): wait longer, then try again.
        retryMs = Math.min(retryMs * 2, options.maxRetryMs);
        if (current === undefined) scheduleRetry();
      });
    }, retryMs);
    retryTimer.unref?.();
  }

  await connect(true);
  ready = true;

  return {
    async check() {
      const held = current;
      if (held === undefined) return;
      try {
        await held.client.query('select 1');
      } catch (error) {
        held.drop(error);
      }
    },
    async close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      retryTimer = undefined;
      const held = current;
      current = undefined;
      held?.drop(new Error('closing'));
    },
  };
}
