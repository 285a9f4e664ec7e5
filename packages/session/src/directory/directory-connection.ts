/** One open directory connection: requests sent one at a time, each paired with the reply it expects, late and stale replies recognised, pushes passed on. */
import { createJsonDeframer, decodeDirectoryReply, encodeDirectoryMessage, type DecodedReply, type DirectoryRequest, type DirectoryUser } from '@voip/protocol';
import type { Clock, TimerHandle } from '@voip/clock';
import { DirectoryError } from './directory-error.js';
import { describeSocketError, type DirectorySocket } from './directory-socket.js';
import { matchReply } from './reply-matcher.js';
import type { TypedListeners } from './typed-listeners.js';

/** Events of a directory client and their payloads. */
export interface DirectoryClientEvents {
  /** The users online, pushed after `watch()` succeeded. */
  presence: [users: DirectoryUser[]];
  /** The connection closed; `expected` when the client closed it or disconnected. Fires once. */
  close: [info: { reason: string; expected: boolean }];
  /** Things worth telling a person: discarded replies, degraded features. */
  log: [entry: { level: 'info' | 'warn' | 'error'; message: string }];
}

/** How a request ended, short of an error. */
export type Outcome =
  | { readonly kind: 'reply'; readonly reply: DecodedReply }
  /** LIST or WATCH got a reply of another kind; DISCONNECT got no answer in time. */
  | { readonly kind: 'unsupported'; readonly detail: string }
  /** The connection closed (DISCONNECT only: closing removes the name anyway). */
  | { readonly kind: 'gone'; readonly detail: string };

/** What the client decides for its connection. */
export interface ConnectionPolicy {
  /** What to write for `request` when its turn comes, or the error to reject it with unsent. */
  prepare(request: DirectoryRequest): DirectoryRequest | DirectoryError;
  /** A request went on the wire. */
  sent(): void;
  /** A request was answered; told before the next request is sent. */
  answered(request: DirectoryRequest, lookedUp: string, reply: DecodedReply): void;
  /**
   * Whether the server is known to be ours. Only then may a request follow one that
   * timed out: any other server may be classic, and would take it for pipelining.
   */
  serverIsOurs(): boolean;
}

interface Pending {
  readonly request: DirectoryRequest;
  /** The name the request is about (GET, REG), for the reply and messages. */
  readonly lookedUp: string;
  readonly resolve: (outcome: Outcome) => void;
  readonly reject: (error: DirectoryError) => void;
  timer?: TimerHandle;
}

// How many timed-out requests to remember, so that their late replies are recognised.
const MAX_TIMED_OUT = 16;

/** The request queue and reply pairing over one socket. */
export class DirectoryConnection {
  readonly #socket: DirectorySocket;
  readonly #address: string;
  readonly #clock: Clock;
  readonly #timeoutMs: number;
  readonly #policy: ConnectionPolicy;
  readonly #listeners: TypedListeners<DirectoryClientEvents>;
  readonly #deframer = createJsonDeframer();
  readonly #queue: Pending[] = [];
  #inFlight: Pending | undefined;
  /** Commands that timed out, oldest first: their replies may still come (in order). */
  readonly #timedOut: DirectoryRequest['command'][] = [];
  #ending = false;
  #closed = false;
  #socketError: Error | undefined;
  /** The reason of an error the server sent unasked, for the close message. */
  #notice: string | undefined;

  constructor(init: { socket: DirectorySocket; address: string; clock: Clock; timeoutMs: number; policy: ConnectionPolicy; listeners: TypedListeners<DirectoryClientEvents> }) {
    const { socket, address } = init;
    this.#socket = socket;
    this.#address = address;
    this.#clock = init.clock;
    this.#timeoutMs = init.timeoutMs;
    this.#policy = init.policy;
    this.#listeners = init.listeners;
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
      this.finish(reason, this.#ending, 'connection-closed');
    });
  }

  /** True once the connection is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queues a request; it is sent once every earlier one is settled. Rejects `'connection-closed'` once closing. */
  request(request: DirectoryRequest, lookedUp = ''): Promise<Outcome> {
    if (this.#closed || this.#ending) {
      return Promise.reject(new DirectoryError('connection-closed', `the connection to the directory at ${this.#address} is closed`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, lookedUp, resolve, reject });
      this.#pump();
    });
  }

  /** Refuses new requests from now on; the close that follows is expected. */
  end(): void {
    this.#ending = true;
  }

  /** Closes the connection (once): pending requests reject with `code` (DISCONNECT resolves 'gone'), then `'close'` fires. */
  finish(reason: string, expected: boolean, code: 'connection-closed' | 'protocol-error'): void {
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
    if (!expected) this.log(code === 'protocol-error' ? 'error' : 'warn', reason);
    this.#listeners.emit('close', { reason, expected });
  }

  /** Emits a `'log'` event. */
  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#listeners.emit('log', { level, message });
  }

  #pump(): void {
    while (!this.#inFlight && !this.#closed) {
      const next = this.#queue.shift();
      if (!next) return;
      const prepared = this.#policy.prepare(next.request);
      if (prepared instanceof DirectoryError) {
        next.reject(prepared);
        continue;
      }
      this.#inFlight = next;
      next.timer = this.#clock.setTimeout(() => this.#onTimeout(next), this.#timeoutMs);
      this.#socket.write(encodeDirectoryMessage(prepared));
      this.#policy.sent();
    }
  }

  /** Ends the request in flight and sends the next one. */
  #settle(pending: Pending, settle: () => void): void {
    this.#clock.clearTimeout(pending.timer);
    this.#inFlight = undefined;
    settle();
    this.#pump();
  }

  /**
   * A request got no reply in time. On our server the late reply is remembered and
   * the next request is sent. Any other server may be a classic one, which reads one
   * request per `recv` and stops reading a connection for good after a request it
   * could not handle: sending the next request while the old reply may still arrive
   * would pipeline, and waiting on would hang, so the connection is closed (an
   * unexpected `'close'`) after rejecting the request.
   */
  #onTimeout(pending: Pending): void {
    if (this.#inFlight !== pending) return;
    const command = pending.request.command;
    const detail = `no reply to ${command} within ${this.#timeoutMs} ms`;
    const settle = (): void => {
      if (command === 'DISCONNECT') pending.resolve({ kind: 'unsupported', detail });
      else pending.reject(new DirectoryError('timeout', `${detail} from the directory at ${this.#address}`));
    };
    if (!this.#policy.serverIsOurs()) {
      this.#clock.clearTimeout(pending.timer);
      this.#inFlight = undefined;
      settle();
      this.finish(`the directory at ${this.#address} stopped answering (${detail}); the connection was closed`, this.#ending, 'connection-closed');
      return;
    }
    this.#timedOut.push(command);
    if (this.#timedOut.length > MAX_TIMED_OUT) this.#timedOut.shift();
    this.#settle(pending, settle);
  }

  #onData(chunk: Uint8Array): void {
    for (const frame of this.#deframer.push(chunk)) {
      if (this.#closed) return;
      if (!frame.ok) {
        this.finish(`the directory at ${this.#address} sent bytes that are not a directory message (${frame.detail})`, false, 'protocol-error');
        return;
      }
      this.#onMessage(frame.value);
    }
  }

  #onMessage(message: Record<string, unknown>): void {
    const pending = this.#inFlight;
    const decoded = decodeDirectoryReply(message, pending?.lookedUp ?? '');
    if (!decoded.ok) {
      this.log('warn', `ignored a message from the directory: ${decoded.detail}`);
      return;
    }
    const reply = decoded.value;
    const verdict = matchReply(pending?.request.command, reply, this.#policy.serverIsOurs() ? 'ours' : 'classic');
    if (verdict.kind === 'push' || (verdict.kind === 'answer' && reply.kind === 'presence')) {
      if (pending && verdict.kind === 'answer') this.#settle(pending, () => pending.resolve({ kind: 'reply', reply }));
      this.#listeners.emit('presence', reply.kind === 'presence' ? reply.users : []);
      return;
    }
    if ((verdict.kind === 'discard' || verdict.kind === 'unsupported') && this.#takeLateReply(reply)) {
      this.log('warn', `discarded a late reply from the directory to a request that had timed out`);
      return;
    }
    if (!pending && reply.kind === 'ack' && reply.reason !== undefined) {
      // Unasked, e.g. a server turning the connection away before closing it.
      this.#notice = reply.reason;
      this.log('warn', `the directory at ${this.#address} says: ${reply.reason}`);
      return;
    }
    if (verdict.kind === 'discard' || !pending) {
      this.log('warn', `discarded a reply from the directory: ${verdict.kind === 'discard' ? verdict.detail : 'no request waits'}`);
      return;
    }
    const command = pending.request.command;
    // In-order replies: once the current request is answered, older ones never will be.
    this.#timedOut.length = 0;
    switch (verdict.kind) {
      case 'answer':
        // Told before the next request is sent: REG's answer decides whether LIST and WATCH may go.
        this.#policy.answered(pending.request, pending.lookedUp, reply);
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
            : `the directory at ${this.#address} failed to handle ${command}: ${why}`;
        const options = verdict.reason === undefined ? {} : { reason: verdict.reason };
        this.#settle(pending, () => pending.reject(new DirectoryError(verdict.code, message, options)));
        return;
      }
    }
  }

  /**
   * Whether `reply` is the late answer to a request that timed out; if so, forgets
   * that request and those before it (replies come in request order).
   */
  #takeLateReply(reply: DecodedReply): boolean {
    const index = this.#timedOut.findIndex((command) => {
      const verdict = matchReply(command, reply, this.#policy.serverIsOurs() ? 'ours' : 'classic').kind;
      return verdict === 'answer' || verdict === 'refused';
    });
    if (index < 0) return false;
    this.#timedOut.splice(0, index + 1);
    return true;
  }
}
