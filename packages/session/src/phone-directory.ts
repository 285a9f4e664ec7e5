/** The phone's hold on the directory: registered and watching on one of its servers, and, given several, failing over to the next when that one is lost. */
import { DEFAULT_DIRECTORY_CAPS, formatHostPort, type DirectoryUser } from '@voip/protocol';
import type { Clock, TimerHandle } from '@voip/clock';
import { DirectoryClient, DirectoryError } from './directory/directory-client.js';
import { TypedListeners } from './directory/typed-listeners.js';
import { PhoneError } from './errors.js';
import type { SecureMode } from './phone-types.js';

/** A directory server, as checked by `checkPhoneOptions`. */
export interface DirectoryServer {
  readonly host: string;
  readonly port: number;
}

/** What the phone's directory needs. */
export interface PhoneDirectoryOptions {
  /** In order: the first that answers is used, the others are failed over to. */
  readonly servers: readonly DirectoryServer[];
  readonly name: string;
  readonly udpPort: number;
  readonly secure: SecureMode;
  readonly clock: Clock;
  /** Connect and request timeout, ms; the directory client's default (5 000) when undefined. */
  readonly timeoutMs?: number;
}

/** What the phone's directory reports. */
export interface PhoneDirectoryEvents {
  /** The users online, pushed by WATCH. */
  presence: [users: DirectoryUser[]];
  /** The connection to `server` was lost; `reconnecting` when the phone fails over (several servers). */
  lost: [info: { readonly reason: string; readonly server: string; readonly reconnecting: boolean }];
  /** Registered and watching again, on `server`; `users` from its WATCH (undefined on a classic server). */
  restored: [info: { readonly server: string; readonly users: DirectoryUser[] | undefined }];
  log: [entry: { readonly level: 'info' | 'warn' | 'error'; readonly message: string }];
}

/**
 * Waits before the `n`th reconnection attempt in a row (0 first): 250 ms, doubling up
 * to 10 s, plus `spreadMs`. Never zero: a server that takes the connection and drops
 * it at once must not become a tight loop.
 */
export function reconnectDelayMs(n: number, spreadMs = 0): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** Math.min(n, 16)) + spreadMs;
}

/**
 * A phone's own offset of its reconnection attempts, 0 to 249 ms, from its name (FNV-1a):
 * when a server with many users dies, they do not all knock on the next one in the same
 * millisecond. Derived, not random, so that runs are repeatable.
 */
export function reconnectSpreadMs(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name.toLowerCase())) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % RECONNECT_FIRST_MS;
}

/** The first reconnection attempt's wait, ms. */
export const RECONNECT_FIRST_MS = 250;
/** The longest wait between reconnection attempts, ms. */
export const RECONNECT_MAX_MS = 10_000;

/** `host:port` (`[v6]:port`) of a server, for events and messages. */
export function serverText(server: DirectoryServer): string {
  return formatHostPort(server);
}

/**
 * One registered connection at a time to one of the servers. `open` tries them in
 * order; once open, an unexpected close (the server's, a reset, a keep-alive failure)
 * is reported `lost`, and, with several servers, the next one is tried round robin
 * after {@link reconnectDelayMs} (spread by {@link reconnectSpreadMs}): connect, register the same name (a name still held
 * there, because the lost server's entry has not lapsed yet, is retried the same way),
 * watch; then `restored`. With one server a lost connection stays lost.
 */
export class PhoneDirectory {
  readonly #options: PhoneDirectoryOptions;
  readonly #listeners = new TypedListeners<PhoneDirectoryEvents>();
  #client: DirectoryClient | undefined;
  #index = 0;
  #timer: TimerHandle | undefined;
  #closed = false;

  private constructor(options: PhoneDirectoryOptions, client: DirectoryClient, index: number) {
    this.#options = options;
    this.#adopt(client, index);
  }

  /**
   * Connects to the first server that answers, registers and (on our server) watches.
   * A server that cannot be reached is skipped for the next; a refused name or a
   * failing directory rejects at once. Rejects with a PhoneError ('server-unreachable'
   * when none answers, 'name-refused', 'directory-error'); nothing stays open.
   */
  static async open(options: PhoneDirectoryOptions): Promise<{ directory: PhoneDirectory; users: DirectoryUser[] | undefined }> {
    const unreachable: string[] = [];
    for (const [index, server] of options.servers.entries()) {
      let client: DirectoryClient;
      try {
        client = await connectClient(options, server);
      } catch (error) {
        if (!(error instanceof DirectoryError)) throw error;
        unreachable.push(error.message);
        continue;
      }
      const users = await settle(client, options);
      return { directory: new PhoneDirectory(options, client, index), users };
    }
    throw new PhoneError('server-unreachable', unreachable.join('; '));
  }

  /** `host:port` of the server in use (or, while failing over, of the one lost last). */
  get server(): string {
    return serverText(this.#options.servers[this.#index]!);
  }

  /** Whether a registered connection is up. */
  get up(): boolean {
    return this.#client !== undefined && !this.#client.closed;
  }

  /** Whether the server in use offers LIST and WATCH. */
  get listSupported(): boolean {
    return this.#client?.listSupported === true;
  }

  /** Looks a user up on the server in use; rejects DirectoryError 'connection-closed' while none is. */
  lookup(name: string): Promise<DirectoryUser | null> {
    return this.#current().then((client) => client.lookup(name));
  }

  /** The users online, from the server in use (LIST). */
  list(): Promise<DirectoryUser[]> {
    return this.#current().then((client) => client.list());
  }

  /** Stops failing over and unregisters (DISCONNECT) from the server in use, if any. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#options.clock.clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    if (!client || client.closed) return;
    try {
      await client.disconnect(this.#options.name);
    } catch {
      client.close();
    }
  }

  /** Adds a listener. */
  on<E extends keyof PhoneDirectoryEvents>(event: E, listener: (...args: PhoneDirectoryEvents[E]) => void): this {
    this.#listeners.add(event, listener);
    return this;
  }

  #current(): Promise<DirectoryClient> {
    const client = this.#client;
    if (client && !client.closed) return Promise.resolve(client);
    return Promise.reject(new DirectoryError('connection-closed', `no directory connection: the connection to ${this.server} was lost`));
  }

  #adopt(client: DirectoryClient, index: number): void {
    this.#client = client;
    this.#index = index;
    client.on('presence', (users) => this.#listeners.emit('presence', users));
    client.on('log', (entry) => this.#listeners.emit('log', entry));
    client.on('close', ({ reason, expected }) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      if (expected || this.#closed) return;
      const reconnecting = this.#options.servers.length > 1;
      this.#listeners.emit('lost', { reason, server: this.server, reconnecting });
      if (reconnecting) this.#schedule(0);
    });
  }

  /** The `n`th attempt in a row, to the server after the last one tried. */
  #schedule(n: number): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#attempt(n);
    }, this.#delayMs(n));
  }

  #delayMs(n: number): number {
    return reconnectDelayMs(n, reconnectSpreadMs(this.#options.name));
  }

  async #attempt(n: number): Promise<void> {
    if (this.#closed) return;
    const { servers } = this.#options;
    const index = (this.#index + 1) % servers.length;
    this.#index = index;
    const server = serverText(servers[index]!);
    let client: DirectoryClient | undefined;
    try {
      client = await connectClient(this.#options, servers[index]!);
      const users = await settle(client, this.#options);
      if (this.#closed) {
        await client.disconnect(this.#options.name).catch(() => undefined);
        return;
      }
      this.#adopt(client, index);
      // The 'restored' event (the phone's 'reconnected') is the news; no log line repeats it.
      this.#listeners.emit('restored', { server, users });
    } catch (error) {
      client?.close();
      if (this.#closed) return;
      const refused = error instanceof PhoneError && error.code === 'name-refused';
      const why = refused ? 'the name is still held there (the lost server has not released it yet)' : (error as Error).message;
      const next = serverText(servers[(index + 1) % servers.length]!);
      this.#listeners.emit('log', { level: 'warn', message: `could not register on ${server}: ${why}; trying ${next} in ${this.#delayMs(n + 1)} ms` });
      this.#schedule(n + 1);
    }
  }
}

async function connectClient(options: PhoneDirectoryOptions, server: DirectoryServer): Promise<DirectoryClient> {
  const timeouts = options.timeoutMs === undefined ? {} : { requestTimeoutMs: options.timeoutMs, connectTimeoutMs: options.timeoutMs };
  return DirectoryClient.connect({ ...server, clock: options.clock, ...timeouts });
}

/**
 * Registers the name (a v2 client announces v 2 and its formats; 'off' registers as
 * the classic client it then is), then, only when the server answered with its own
 * version, sends WATCH: a classic server would not survive it. Closes the client and
 * rejects with a PhoneError ('name-refused', 'directory-error') on failure.
 */
async function settle(client: DirectoryClient, options: PhoneDirectoryOptions): Promise<DirectoryUser[] | undefined> {
  try {
    const v2 = options.secure !== 'off' ? [{ v: 2, caps: DEFAULT_DIRECTORY_CAPS }] : [];
    try {
      await client.register(options.name, options.udpPort, ...v2);
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'name-refused') {
        throw new PhoneError('name-refused', `the directory refused the name ${JSON.stringify(options.name)}${error.reason ? `: ${error.reason}` : ''}`, { cause: error });
      }
      throw new PhoneError('directory-error', `registering ${JSON.stringify(options.name)} failed: ${(error as Error).message}`, { cause: error });
    }
    if (client.serverVersion === undefined) return undefined;
    try {
      return await client.watch();
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'list-unsupported') return undefined;
      throw new PhoneError('directory-error', `the directory failed after registration: ${(error as Error).message}`, { cause: error });
    }
  } catch (error) {
    client.close();
    throw error;
  }
}
