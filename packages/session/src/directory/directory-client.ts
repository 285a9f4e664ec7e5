/** The directory client: REG, GET, LIST, WATCH and DISCONNECT as promises, speaking to our server and to the classic one alike. */
import net from 'node:net';
import { KEEPALIVE_IDLE_MS, KEEPALIVE_MIN_VERSION, validateName, type DecodedReply, type DirectoryRequest, type DirectoryUser } from '@voip/protocol';
import { checkDurationMs, realClock, type Clock } from '@voip/clock';
import { DirectoryConnection, type DirectoryClientEvents, type Outcome } from './directory-connection.js';
import { DirectoryError } from './directory-error.js';
import { isPort, openDirectorySocket, type DirectorySocket } from './directory-socket.js';
import { KeepAlive } from './keep-alive.js';
import { announced, type RegisterOptions } from './register-options.js';
import { TypedListeners } from './typed-listeners.js';

export { DirectoryError, type DirectoryErrorCode, type DirectoryErrorOptions } from './directory-error.js';
export type { DirectorySocket } from './directory-socket.js';
export type { DirectoryClientEvents } from './directory-connection.js';
export type { RegisterOptions } from './register-options.js';

/** Options of {@link DirectoryClient.connect}. */
export interface DirectoryClientOptions {
  /** Host name or IP address of the directory server. */
  host: string;
  /** TCP port of the directory server (10000 by default on the server side). */
  port: number;
  /** Per-request reply timeout, default 5000 ms. */
  requestTimeoutMs?: number;
  /** Connect timeout, default 5000 ms. */
  connectTimeoutMs?: number;
  /** Time and timers; default `realClock` of @voip/clock. */
  clock?: Clock;
  /** Opens the connection; default `net.connect`. For tests. */
  createSocket?: (host: string, port: number) => DirectorySocket;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * A connection to the directory server (PROTOCOL.md section 1). Requests go one at
 * a time, in call order; each waits for a reply of the kind it expects, so a stale
 * or late reply is never taken for another request's. REG announces a version (1,
 * or what {@link RegisterOptions} says); a server whose answer carries no `v` is classic and is
 * sent only REG, GET and DISCONNECT (LIST and WATCH reject `'list-unsupported'`
 * without sending), one request at a time, never pipelined: when a request to it
 * times out, the connection is closed rather than the next request sent. LIST and
 * WATCH carry our name, so that even a classic server would survive them.
 *
 * Keep-alive (PROTOCOL.md section 1): once a REG announcing `v` 2 or later is
 * answered by our server (its answer carries `v`), the client sends PING whenever it
 * has sent nothing for `KEEPALIVE_IDLE_MS` (10 s). A PING not answered within the
 * request timeout (`requestTimeoutMs`, 5 s by default) means the server is lost: the
 * connection is closed and reported as an unexpected `'close'`, as any lost
 * connection is. A classic server, or a REG announcing `v` 1, never gets PING.
 *
 * @example
 * const directory = await DirectoryClient.connect({ host: '127.0.0.1', port: 10000 });
 * await directory.register('alice', 5001);
 * const bob = await directory.lookup('bob'); // { name: 'bob', ip, port } or null
 * // A v2 client: await directory.register('alice', 5001, { v: 2, caps: DEFAULT_DIRECTORY_CAPS });
 * // then lookup() gives { name, ip, port, v: 2, caps } for a v2 peer (on our server).
 * await directory.disconnect('alice');
 */
export class DirectoryClient {
  /** `host:port` of the server, for messages. */
  readonly address: string;
  readonly #listeners = new TypedListeners<DirectoryClientEvents>();
  readonly #connection: DirectoryConnection;
  /** The name REG succeeded with: every extension request carries it. */
  #name: string | undefined;
  /** The `v` of the server's REG answer; undefined before it, or from a classic server. */
  #serverVersion: number | undefined;
  /** Whether REG has been answered (so a missing `v` means a classic server). */
  #registered = false;
  /** Set when our server answered LIST or WATCH with something else: not asked again. */
  #extensionsRefused = false;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  /** Running once a v2 registration was answered by our server. */
  #keepAlive: KeepAlive | undefined;

  private constructor(socket: DirectorySocket, address: string, clock: Clock, timeoutMs: number) {
    this.address = address;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    this.#listeners.add('close', () => this.#keepAlive?.stop());
    this.#connection = new DirectoryConnection({
      socket,
      address,
      clock,
      timeoutMs,
      listeners: this.#listeners,
      policy: {
        prepare: (request) => this.#prepare(request),
        sent: () => this.#keepAlive?.sent(),
        answered: (request, lookedUp, reply) => this.#answered(request, lookedUp, reply),
        serverIsOurs: () => this.#serverVersion !== undefined,
      },
    });
  }

  /**
   * Opens a connection. Rejects with a {@link DirectoryError} `'server-unreachable'`
   * naming `host:port` when the connection is refused, unreachable or times out.
   */
  static connect(options: DirectoryClientOptions): Promise<DirectoryClient> {
    const { host, port } = options;
    if (typeof host !== 'string' || host.length === 0) return Promise.reject(new TypeError('host must be a non-empty string'));
    if (!isPort(port)) return Promise.reject(new RangeError(`port must be an integer from 1 to 65535, got ${String(port)}`));
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (const [key, value] of [
      ['connectTimeoutMs', connectTimeoutMs],
      ['requestTimeoutMs', requestTimeoutMs],
    ] as const) {
      const reason = checkDurationMs(value);
      if (reason !== undefined) return Promise.reject(new RangeError(`${key} ${reason}`));
    }
    const clock = options.clock ?? realClock;
    const createSocket = options.createSocket ?? ((h: string, p: number) => net.connect({ host: h, port: p }));
    return openDirectorySocket({ host, port, connectTimeoutMs, clock, createSocket }).then(({ socket, address }) => new DirectoryClient(socket, address, clock, requestTimeoutMs));
  }

  /**
   * Whether the server offers LIST and WATCH: known once REG is answered (the server
   * is ours when its answer carries `v`), undefined before.
   */
  get listSupported(): boolean | undefined {
    if (!this.#registered) return undefined;
    return this.#serverVersion !== undefined && !this.#extensionsRefused;
  }

  /**
   * The directory version the server answered REG with; undefined before REG is
   * answered, and for a classic server (which sends none).
   */
  get serverVersion(): number | undefined {
    return this.#serverVersion;
  }

  /** Whether the keep-alive runs: REG announced `v` 2 or later and our server answered with its version. */
  get keepAlive(): boolean {
    return this.#keepAlive !== undefined && !this.closed;
  }

  /** True once the connection is closed. */
  get closed(): boolean {
    return this.#connection.closed;
  }

  /**
   * Registers `name` for this connection, with the UDP port calls reach us on, and
   * announces directory version 1, or, with `options`, the version and caps of a v2
   * client (`{"command":"REG","name":N,"port":P,"v":2,"caps":{...}}`); our server then
   * shows this connection the `v` and `caps` of other v2 users. Throws RangeError for
   * a `v` that is not an integer from 1, or caps with `v` below 2 or that
   * `decodeDirectoryCaps` refuses; rejects `'name-refused'` (with the server's
   * `reason`) or `'server-error'`.
   */
  async register(name: string, udpPort: number, options?: RegisterOptions): Promise<void> {
    const valid = validateName(name);
    if (!valid.ok) {
      throw new DirectoryError('name-refused', `the name ${JSON.stringify(name)} is not allowed: ${valid.detail}`, { reason: valid.detail });
    }
    if (!isPort(udpPort)) throw new RangeError(`udpPort must be an integer from 1 to 65535, got ${String(udpPort)}`);
    await this.#connection.request({ command: 'REG', name, port: udpPort, ...announced(options) }, name);
  }

  /** Looks a user up: their address, or null when nobody by that name is online. */
  async lookup(name: string): Promise<DirectoryUser | null> {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    const outcome = await this.#connection.request({ command: 'GET', name }, name);
    return outcome.kind === 'reply' && outcome.reply.kind === 'address' ? outcome.reply.user : null;
  }

  /**
   * The users online, as the server sorts them. Rejects `'list-unsupported'` at once,
   * sending nothing, unless REG was answered by our server (a classic server cannot
   * survive LIST); also when our server answers LIST with something else.
   */
  async list(): Promise<DirectoryUser[]> {
    const outcome = await this.#connection.request({ command: 'LIST' });
    if (outcome.kind === 'reply' && outcome.reply.kind === 'users') return outcome.reply.users;
    throw this.#refuseExtensions('LIST', outcome);
  }

  /**
   * Asks for presence pushes and resolves with the first one, the users online now
   * (the `'presence'` event has then already fired with it). Rejects
   * `'list-unsupported'` as {@link list} does.
   */
  async watch(): Promise<DirectoryUser[]> {
    const outcome = await this.#connection.request({ command: 'WATCH' });
    if (outcome.kind === 'reply' && outcome.reply.kind === 'presence') return outcome.reply.users;
    throw this.#refuseExtensions('WATCH', outcome);
  }

  /**
   * Unregisters `name` (DISCONNECT), waits for `{"ack": "Disconnected"}` or the
   * server's close (or the request timeout), then closes. Rejects `'server-error'`
   * when the server refuses (the name is held by another connection), after closing
   * all the same. Later requests reject `'connection-closed'`.
   */
  async disconnect(name: string): Promise<void> {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    const done = this.#connection.request({ command: 'DISCONNECT', name });
    this.#connection.end();
    this.#keepAlive?.stop();
    try {
      const outcome = await done;
      if (outcome.kind === 'unsupported') this.#connection.log('warn', `no answer to DISCONNECT (${outcome.detail}); closing the connection`);
    } finally {
      this.#connection.finish(`disconnected from the directory at ${this.address}`, true, 'connection-closed');
    }
  }

  /** Closes the connection now; pending requests reject `'connection-closed'`. */
  close(): void {
    this.#keepAlive?.stop();
    this.#connection.end();
    this.#connection.finish('closed by the client', true, 'connection-closed');
  }

  /** Adds a listener. */
  on<E extends keyof DirectoryClientEvents>(event: E, listener: (...args: DirectoryClientEvents[E]) => void): this {
    this.#listeners.add(event, listener);
    return this;
  }

  /** Removes a listener. */
  off<E extends keyof DirectoryClientEvents>(event: E, listener: (...args: DirectoryClientEvents[E]) => void): this {
    this.#listeners.remove(event, listener);
    return this;
  }

  /** What goes on the wire for a request whose turn has come: decided then, once every earlier REG is answered. */
  #prepare(request: DirectoryRequest): DirectoryRequest | DirectoryError {
    if (request.command !== 'LIST' && request.command !== 'WATCH') return request;
    const refusal = this.#extensionRefusal();
    if (refusal !== undefined) return new DirectoryError('list-unsupported', `the directory at ${this.address} does not offer ${request.command}: ${refusal}`);
    // A classic server reads data["name"] before the command: name every request.
    return { command: request.command, name: this.#name! };
  }

  #answered(request: DirectoryRequest, lookedUp: string, reply: DecodedReply): void {
    if (request.command !== 'REG' || reply.kind !== 'ack') return;
    this.#registered = true;
    this.#name = lookedUp;
    this.#serverVersion = reply.v;
    const announcedVersion = request.v ?? 0;
    if (reply.v !== undefined && announcedVersion >= KEEPALIVE_MIN_VERSION && !this.#keepAlive) {
      this.#keepAlive = new KeepAlive({ clock: this.#clock, idleMs: KEEPALIVE_IDLE_MS, ping: () => this.#ping(), lost: (error) => this.#lost(error) });
    }
  }

  /** One keep-alive PING; our server answers PONG (any other answer still shows it is there). */
  async #ping(): Promise<void> {
    await this.#connection.request({ command: 'PING' });
  }

  /** A PING got no PONG within the request timeout: the server is lost, the connection closed like any lost one. */
  #lost(error: unknown): void {
    if (!(error instanceof DirectoryError) || error.code !== 'timeout') return;
    this.#connection.finish(
      `the directory at ${this.address} did not answer PING within ${this.#timeoutMs} ms (keep-alive); the connection was closed`,
      false,
      'connection-closed',
    );
  }

  /** Why an extension request (LIST, WATCH) must not be sent now, or undefined when it may. */
  #extensionRefusal(): string | undefined {
    if (!this.#registered) return 'register first: only a server that answers REG with its version is sent LIST or WATCH';
    if (this.#serverVersion === undefined) return 'a classic server, which offers neither LIST nor WATCH';
    if (this.#extensionsRefused) return 'the server answered an earlier request for it with something else';
    return undefined;
  }

  #refuseExtensions(command: 'LIST' | 'WATCH', outcome: Outcome): DirectoryError {
    this.#extensionsRefused = true;
    const detail = outcome.kind === 'reply' ? 'unexpected reply' : outcome.detail;
    this.#connection.log('warn', `the directory at ${this.address} does not offer ${command} (${detail}); enter names by hand`);
    return new DirectoryError('list-unsupported', `the directory at ${this.address} does not offer ${command} (${detail})`);
  }
}
