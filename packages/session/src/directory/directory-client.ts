import net from 'node:net';
import {
  DIRECTORY_VERSION,
  createJsonDeframer,
  decodeDirectoryReply,
  encodeDirectoryMessage,
  validateName,
  type DecodedReply,
  type DirectoryRequest,
  type DirectoryUser,
} from '@voip/protocol';
import { checkDurationMs, realClock, type Clock, type TimerHandle } from '@voip/clock';
import { DirectoryError } from './directory-error.js';
import { describeSocketError, isPort, openDirectorySocket, type DirectorySocket } from './directory-socket.js';
import { matchReply } from './reply-matcher.js';
import { TypedListeners } from './typed-listeners.js';

export { DirectoryError, type DirectoryErrorCode, type DirectoryErrorOptions } from './directory-error.js';
export type { DirectorySocket } from './directory-socket.js';

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
  /** Time and timers; default `realClock` from @voip/media. */
  clock?: Clock;
  /** Opens the connection; default `net.connect`. For tests. */
  createSocket?: (host: string, port: number) => DirectorySocket;
}

/** Events of a {@link DirectoryClient} and their payloads. */
export interface DirectoryClientEvents {
  /** The users online, pushed after {@link DirectoryClient.watch} succeeded. */
  presence: [users: DirectoryUser[]];
  /** The connection closed; `expected` when the client closed it or disconnected. Fires once. */
  close: [info: { reason: string; expected: boolean }];
  /** Things worth telling a person: discarded replies, degraded features. */
  log: [entry: { level: 'info' | 'warn' | 'error'; message: string }];
}

type Outcome =
  | { readonly kind: 'reply'; readonly reply: DecodedReply }
  | { readonly kind: 'unsupported'; readonly detail: string }
  | { readonly kind: 'gone'; readonly detail: string };

interface Pending {
  readonly request: DirectoryRequest;
  /** The name the request is about (GET, REG), for the reply and messages. */
  readonly lookedUp: string;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: DirectoryError) => void;
  timer?: TimerHandle;
}

const DEFAULT_TIMEOUT_MS = 5000;
// How many timed-out requests to remember, so that their late replies are recognised.
const MAX_TIMED_OUT = 16;

/**
 * A connection to the directory server (PROTOCOL.md section 1). Requests go one at
 * a time, in call order; each waits for a reply of the kind it expects, so a stale
 * or late reply is never taken for another request's. REG announces
 * {@link DIRECTORY_VERSION}; a server whose answer carries no `v` is classic and is
 * sent only REG, GET and DISCONNECT (LIST and WATCH reject `'list-unsupported'`
 * without sending), one request at a time, never pipelined.
 *
 * @example
 * const directory = await DirectoryClient.connect({ host: '127.0.0.1', port: 10000 });
 * await directory.register('alice', 5001);
 * const bob = await directory.lookup('bob'); // { name: 'bob', ip, port } or null
 * await directory.disconnect('alice');
 */
export class DirectoryClient {
  /** `host:port` of the server, for messages. */
  readonly address: string;
  readonly #socket: DirectorySocket;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #deframer = createJsonDeframer();
  readonly #listeners = new TypedListeners<DirectoryClientEvents>();
  readonly #queue: Pending[] = [];
  #inFlight: Pending | undefined;
  /** The name REG succeeded with: every extension request carries it. */
  #name: string | undefined;
  /** The `v` of the server's REG answer; undefined before it, or from a classic server. */
  #serverVersion: number | undefined;
  /** Whether REG has been answered (so a missing `v` means a classic server). */
  #registered = false;
  /** Set when our server answered LIST or WATCH with something else: not asked again. */
  #extensionsRefused = false;
  /** Commands that timed out, oldest first: their replies may still come (in order). */
  readonly #timedOut: DirectoryRequest['command'][] = [];
  #ending = false;
  #closed = false;
  #socketError: Error | undefined;
  /** The reason of an error the server sent unasked, for the close message. */
  #notice: string | undefined;

  private constructor(socket: DirectorySocket, address: string, clock: Clock, timeoutMs: number) {
    this.#socket = socket;
    this.address = address;
    this.#clock = clock;
    this.#timeoutMs = timeoutMs;
    socket.setNoDelay?.(true);
    socket.setKeepAlive?.(true, 15_000);
    socket.on('data', (chunk: Uint8Array) => this.#onData(chunk));
    socket.on('error', (error: Error) => (this.#socketError = error));
    socket.on('close', () => {
      const error = this.#socketError;
      const notice = this.#notice === undefined ? '' : ` (${this.#notice})`;
      const reason = error
        ? `connection to the directory at ${address} lost: ${describeSocketError(error)}${notice}`
        : `the directory at ${address} closed the connection${notice}`;
      this.#finish(reason, this.#ending, 'connection-closed');
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
    for (const [key, value] of [['connectTimeoutMs', connectTimeoutMs], ['requestTimeoutMs', requestTimeoutMs]] as const) {
      const reason = checkDurationMs(value);
      if (reason !== undefined) return Promise.reject(new RangeError(`${key} ${reason}`));
    }
    const clock = options.clock ?? realClock;
    const createSocket = options.createSocket ?? ((h: string, p: number) => net.connect({ host: h, port: p }));
    return openDirectorySocket({ host, port, connectTimeoutMs, clock, createSocket }).then(
      ({ socket, address }) => new DirectoryClient(socket, address, clock, requestTimeoutMs),
    );
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

  /** True once the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Registers `name` for this connection, with the UDP port calls reach us on.
   * Rejects `'name-refused'` (with the server's `reason`) or `'server-error'`.
   */
  async register(name: string, udpPort: number): Promise<void> {
    const valid = validateName(name);
    if (!valid.ok) {
      throw new DirectoryError('name-refused', `the name ${JSON.stringify(name)} is not allowed: ${valid.detail}`, { reason: valid.detail });
    }
    if (!isPort(udpPort)) throw new RangeError(`udpPort must be an integer from 1 to 65535, got ${String(udpPort)}`);
    await this.#request({ command: 'REG', name, port: udpPort, v: DIRECTORY_VERSION }, name);
  }

  /** Looks a user up: their address, or null when nobody by that name is online. */
  async lookup(name: string): Promise<DirectoryUser | null> {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    const outcome = await this.#request({ command: 'GET', name }, name);
    return outcome.kind === 'reply' && outcome.reply.kind === 'address' ? outcome.reply.user : null;
  }

  /**
   * The users online, as the server sorts them. Rejects `'list-unsupported'` at once,
   * sending nothing, unless REG was answered by our server (a classic server cannot
   * survive LIST); also when our server answers LIST with something else.
   */
  async list(): Promise<DirectoryUser[]> {
    const outcome = await this.#request({ command: 'LIST' });
    if (outcome.kind === 'reply' && outcome.reply.kind === 'users') return outcome.reply.users;
    throw this.#refuseExtensions('LIST', outcome);
  }

  /**
   * Asks for presence pushes and resolves with the first one, the users online now
   * (the `'presence'` event has then already fired with it). Rejects
   * `'list-unsupported'` as {@link list} does.
   */
  async watch(): Promise<DirectoryUser[]> {
    const outcome = await this.#request({ command: 'WATCH' });
    if (outcome.kind === 'reply' && outcome.reply.kind === 'presence') return outcome.reply.users;
    throw this.#refuseExtensions('WATCH', outcome);
  }

  #refuseExtensions(command: 'LIST' | 'WATCH', outcome: Outcome): DirectoryError {
    this.#extensionsRefused = true;
    const detail = outcome.kind === 'reply' ? 'unexpected reply' : outcome.detail;
    this.#log('warn', `the directory at ${this.address} does not offer ${command} (${detail}); enter names by hand`);
    return new DirectoryError('list-unsupported', `the directory at ${this.address} does not offer ${command} (${detail})`);
  }

  /** Why an extension request (LIST, WATCH) must not be sent now, or undefined when it may. */
  #extensionRefusal(): string | undefined {
    if (!this.#registered) return 'register first: only a server that answers REG with its version is sent LIST or WATCH';
    if (this.#serverVersion === undefined) return 'a classic server, which offers neither LIST nor WATCH';
    if (this.#extensionsRefused) return 'the server answered an earlier request for it with something else';
    return undefined;
  }

  /**
   * Unregisters `name` (DISCONNECT), waits for `{"ack": "Disconnected"}` or the
   * server's close (or the request timeout: closing removes the name anyway), then
   * closes. Rejects `'server-error'` when the server refuses (the name is held by
   * another connection), after closing all the same. Later requests reject
   * `'connection-closed'`.
   */
  async disconnect(name: string): Promise<void> {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    const done = this.#request({ command: 'DISCONNECT', name });
    this.#ending = true;
    try {
      const outcome = await done;
      if (outcome.kind === 'unsupported') this.#log('warn', `no answer to DISCONNECT (${outcome.detail}); closing the connection`);
    } finally {
      this.#finish(`disconnected from the directory at ${this.address}`, true, 'connection-closed');
    }
  }

  /** Closes the connection now; pending requests reject `'connection-closed'`. */
  close(): void {
    this.#ending = true;
    this.#finish('closed by the client', true, 'connection-closed');
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

  #request(request: DirectoryRequest, lookedUp = ''): Promise<Outcome> {
    if (this.#closed || this.#ending) {
      return Promise.reject(new DirectoryError('connection-closed', `the connection to the directory at ${this.address} is closed`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, lookedUp, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (!this.#inFlight && !this.#closed) {
      const next = this.#queue.shift();
      if (!next) return;
      const command = next.request.command;
      if (command === 'LIST' || command === 'WATCH') {
        // Decided when the request's turn comes, once every earlier REG is answered.
        const refusal = this.#extensionRefusal();
        if (refusal !== undefined) {
          next.reject(new DirectoryError('list-unsupported', `the directory at ${this.address} does not offer ${command}: ${refusal}`));
          continue;
        }
        // A classic server reads data["name"] before the command: name every request.
        this.#send(next, { command, name: this.#name! });
        return;
      }
      this.#send(next, next.request);
    }
  }

  #send(next: Pending, request: DirectoryRequest): void {
    this.#inFlight = next;
    next.timer = this.#clock.setTimeout(() => this.#onTimeout(next), this.#timeoutMs);
    this.#socket.write(encodeDirectoryMessage(request));
  }

  /** Ends the request in flight and sends the next one. */
  #settle(pending: Pending, settle: () => void): void {
    this.#clock.clearTimeout(pending.timer);
    this.#inFlight = undefined;
    settle();
    this.#pump();
  }

  /**
   * A request got no reply in time. On our server (REG answered with `v`) the late
   * reply is remembered and the next request is sent. Any other server may be a
   * classic one, which reads one request per `recv` and stops reading a connection
   * for good after a request it could not handle: sending the next request while the
   * old reply may still arrive would pipeline, and waiting on would hang, so the
   * connection is closed (an unexpected `'close'`) after rejecting the request.
   */
  #onTimeout(pending: Pending): void {
    if (this.#inFlight !== pending) return;
    const command = pending.request.command;
    const detail = `no reply to ${command} within ${this.#timeoutMs} ms`;
    if (this.#serverVersion === undefined) {
      this.#clock.clearTimeout(pending.timer);
      this.#inFlight = undefined;
      if (command === 'DISCONNECT') pending.resolve({ kind: 'unsupported', detail });
      else pending.reject(new DirectoryError('timeout', `${detail} from the directory at ${this.address}`));
      this.#finish(`the directory at ${this.address} stopped answering (${detail}); the connection was closed`, this.#ending, 'connection-closed');
      return;
    }
    this.#timedOut.push(command);
    if (this.#timedOut.length > MAX_TIMED_OUT) this.#timedOut.shift();
    this.#settle(pending, () => {
      if (command === 'DISCONNECT') pending.resolve({ kind: 'unsupported', detail });
      else pending.reject(new DirectoryError('timeout', `${detail} from the directory at ${this.address}`));
    });
  }

  #onData(chunk: Uint8Array): void {
    for (const frame of this.#deframer.push(chunk)) {
      if (this.#closed) return;
      if (!frame.ok) {
        this.#finish(`the directory at ${this.address} sent bytes that are not a directory message (${frame.detail})`, false, 'protocol-error');
        return;
      }
      this.#onMessage(frame.value);
    }
  }

  #onMessage(message: Record<string, unknown>): void {
    const pending = this.#inFlight;
    const decoded = decodeDirectoryReply(message, pending?.lookedUp ?? '');
    if (!decoded.ok) {
      this.#log('warn', `ignored a message from the directory: ${decoded.detail}`);
      return;
    }
    const reply = decoded.value;
    const verdict = matchReply(pending?.request.command, reply);
    if (verdict.kind === 'push' || (verdict.kind === 'answer' && reply.kind === 'presence')) {
      if (pending && verdict.kind === 'answer') this.#settle(pending, () => pending.resolve({ kind: 'reply', reply }));
      this.#listeners.emit('presence', reply.kind === 'presence' ? reply.users : []);
      return;
    }
    if ((verdict.kind === 'discard' || verdict.kind === 'unsupported') && this.#takeLateReply(reply)) {
      this.#log('warn', `discarded a late reply from the directory to a request that had timed out`);
      return;
    }
    if (!pending && reply.kind === 'ack' && reply.reason !== undefined) {
      // Unasked, e.g. a server turning the connection away before closing it.
      this.#notice = reply.reason;
      this.#log('warn', `the directory at ${this.address} says: ${reply.reason}`);
      return;
    }
    if (verdict.kind === 'discard' || !pending) {
      this.#log('warn', `discarded a reply from the directory: ${verdict.kind === 'discard' ? verdict.detail : 'no request waits'}`);
      return;
    }
    const command = pending.request.command;
    // In-order replies: once the current request is answered, older ones never will be.
    this.#timedOut.length = 0;
    switch (verdict.kind) {
      case 'answer':
        // Recorded before the next request is sent: it decides whether LIST and WATCH may go.
        if (command === 'REG' && reply.kind === 'ack') this.#onRegistered(pending.lookedUp, reply.v);
        this.#settle(pending, () => pending.resolve({ kind: 'reply', reply }));
        return;
      case 'unsupported':
        this.#settle(pending, () => pending.resolve({ kind: 'unsupported', detail: `the server answered ${command} with a reply of another kind` }));
        return;
      case 'refused': {
        const why = verdict.reason ?? 'no reason given';
        const message =
          verdict.code === 'name-refused'
            ? `the directory refused the name ${JSON.stringify(pending.lookedUp)}: ${why}`
            : `the directory at ${this.address} failed to handle ${command}: ${why}`;
        const options = verdict.reason === undefined ? {} : { reason: verdict.reason };
        this.#settle(pending, () => pending.reject(new DirectoryError(verdict.code, message, options)));
        return;
      }
    }
  }

  #onRegistered(name: string, version: number | undefined): void {
    this.#registered = true;
    this.#name = name;
    this.#serverVersion = version;
  }

  /**
   * Whether `reply` is the late answer to a request that timed out; if so, forgets
   * that request and those before it (replies come in request order).
   */
  #takeLateReply(reply: DecodedReply): boolean {
    const index = this.#timedOut.findIndex((command) => {
      const verdict = matchReply(command, reply).kind;
      return verdict === 'answer' || verdict === 'refused';
    });
    if (index < 0) return false;
    this.#timedOut.splice(0, index + 1);
    return true;
  }

  #finish(reason: string, expected: boolean, code: 'connection-closed' | 'protocol-error'): void {
    if (this.#closed) return;
    this.#closed = true;
    const waiting = this.#inFlight ? [this.#inFlight, ...this.#queue] : [...this.#queue];
    if (this.#inFlight) this.#clock.clearTimeout(this.#inFlight.timer);
    this.#inFlight = undefined;
    this.#queue.length = 0;
    this.#socket.destroy();
    for (const pending of waiting) {
      // Closing the connection removes the name (PROTOCOL.md section 1): DISCONNECT is done.
      if (pending.request.command === 'DISCONNECT') pending.resolve({ kind: 'gone', detail: reason });
      else pending.reject(new DirectoryError(code, `${pending.request.command} not answered: ${reason}`));
    }
    if (!expected) this.#log(code === 'protocol-error' ? 'error' : 'warn', reason);
    this.#listeners.emit('close', { reason, expected });
  }

  #log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#listeners.emit('log', { level, message });
  }
}
