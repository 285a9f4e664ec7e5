/** One directory connection without I/O: bytes in, effects out, requests answered one after another. */
import { ACK, deframeErrorReason, type DirectoryReply, type DirectoryUser } from '@voip/protocol';
import type { Clock } from '@voip/clock';
import { DirectoryRequests } from './directory-requests.js';
import type { DirectoryService } from './directory-service.js';
import type { CloseReason } from './events.js';
import { InactivityTimer } from './inactivity-timer.js';
import { RequestInbox } from './request-inbox.js';
import { TokenBucket } from './token-bucket.js';

/** What the handler asks its socket adapter to do. */
export type ConnectionEffect =
  | { readonly type: 'send'; readonly message: DirectoryReply }
  /** Flush what was sent, then close the connection. */
  | { readonly type: 'close'; readonly reason: CloseReason; readonly detail?: string }
  /** Stop reading from the socket: the handler holds enough unprocessed bytes. */
  | { readonly type: 'pause-reading' }
  | { readonly type: 'resume-reading' }
  /** A request was refused (logged, the connection goes on). */
  | { readonly type: 'refused'; readonly reason: string }
  /** The connection registered a name; once per connection (it counts as named for the per-IP caps from now on). */
  | { readonly type: 'named' };

/** Options of {@link ConnectionHandler}. */
export interface ConnectionHandlerOptions {
  /** Opaque connection id: the owner of the name in the registry. */
  readonly id: string;
  /** Source IP of the connection: the IP stored for its name. */
  readonly ip: string;
  readonly service: DirectoryService;
  /** Receives every effect, synchronously, in order. */
  readonly output: (effect: ConnectionEffect) => void;
  readonly clock: Clock;
  /** Requests per second; 0 = no limit. Bursts of twice the rate pass at once. */
  readonly rateLimit: number;
  /** Milliseconds without a request after which a connection without a name is closed; 0 = never. */
  readonly idleTimeoutMs: number;
  /**
   * Milliseconds a connection that announced the keep-alive (REG `v` >= 2) may send
   * nothing before it is closed (`silent`); 0 = never. Classic clients are never timed.
   */
  readonly silenceLimitMs?: number;
  /** Unprocessed bytes held before reading pauses; default 64 KiB. */
  readonly maxInboxBytes?: number;
  /**
   * Requests a connection may send while it holds no name; the next one closes it
   * (sustained abuse: real clients register first). 0 = no limit. Default 20.
   */
  readonly maxRequestsWithoutName?: number;
}

/** Refusals logged per connection; later ones are answered but not logged. */
const LOGGED_REFUSALS = 3;

/**
 * The directory protocol of one connection (PROTOCOL.md section 1), without I/O:
 * bytes go in through {@link receive}, replies and actions come out as
 * {@link ConnectionEffect}s. Requests are processed one after another, so replies
 * keep request order although the registry is asynchronous.
 */
export class ConnectionHandler {
  private readonly inbox: RequestInbox;
  private readonly requests: DirectoryRequests;
  private refusals = 0;
  private readonly bucket: TokenBucket | undefined;
  private stopped = false;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private writable = true;
  private owedPresence: readonly DirectoryUser[] | undefined;
  private wake: (() => void) | undefined;
  /** Closes a connection that holds no name after `idleTimeoutMs` without a request. */
  private readonly idleLimit: InactivityTimer | undefined;
  private ended: Promise<void> | undefined;
  private named = false;
  private readingPaused = false;
  private readonly silence: InactivityTimer | undefined;

  constructor(private readonly options: ConnectionHandlerOptions) {
    this.inbox = new RequestInbox(options.maxInboxBytes ?? 64 * 1024, {
      pause: () => {
        // We stopped reading: what the client sends meanwhile cannot reach us, so it is not silence.
        this.readingPaused = true;
        this.silence?.stop();
        options.output({ type: 'pause-reading' });
      },
      resume: () => {
        this.readingPaused = false;
        this.watchSilence();
        options.output({ type: 'resume-reading' });
      },
    });
    this.requests = new DirectoryRequests({
      id: options.id,
      ip: options.ip,
      service: options.service,
      maxRequestsWithoutName: options.maxRequestsWithoutName ?? 20,
      send: (message) => this.send(message),
      refused: (reason) => this.logRefusal(reason),
      close: (reason) => this.close(reason),
      pushPresence: (users) => this.pushPresence(users),
    });
    const silenceLimitMs = options.silenceLimitMs ?? 0;
    this.silence = silenceLimitMs > 0 ? new InactivityTimer(options.clock, silenceLimitMs, () => this.close('silent')) : undefined;
    this.bucket = options.rateLimit > 0 ? new TokenBucket(options.rateLimit, options.rateLimit * 2, options.clock.now()) : undefined;
    this.idleLimit =
      options.idleTimeoutMs > 0
        ? new InactivityTimer(options.clock, options.idleTimeoutMs, () => {
            if (this.requests.name === undefined) this.close('idle-timeout');
          })
        : undefined;
    this.idleLimit?.start();
  }

  /** The name this connection holds, if any. */
  get name(): string | undefined {
    return this.requests.name;
  }

  /** Bytes received and not yet processed (excluding a partial frame inside the deframer). */
  get pendingBytes(): number {
    return this.inbox.pendingBytes;
  }

  /** Feeds bytes from the connection, split anywhere. */
  receive(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    this.silence?.touch();
    this.inbox.push(chunk);
    this.kick();
  }

  /**
   * Tells whether the connection can take more output. While it cannot, no request is
   * processed and presence pushes are merged into one, sent when it can again.
   */
  setWritable(writable: boolean): void {
    this.writable = writable;
    if (!writable) return;
    const owed = this.owedPresence;
    this.owedPresence = undefined;
    if (owed && !this.stopped) this.send({ event: 'presence', users: owed });
    this.wakeUp();
  }

  /**
   * The connection is gone (closed by either side, reset, or failed): stops
   * processing, waits for the request in progress, then removes the name at once.
   * Idempotent.
   */
  end(): Promise<void> {
    this.ended ??= (async () => {
      this.stop();
      await this.loop;
      this.requests.forget();
      await this.options.service.release(this.options.id);
    })();
    return this.ended;
  }

  /** Resolves when the requests received so far are processed (or the handler stopped). */
  async idle(): Promise<void> {
    while (this.running) await this.loop;
  }

  private stop(): void {
    this.stopped = true;
    this.idleLimit?.stop();
    this.silence?.stop();
    this.wakeUp();
  }

  private close(reason: CloseReason, detail?: string): void {
    if (this.stopped) return;
    this.stop();
    this.options.output(detail === undefined ? { type: 'close', reason } : { type: 'close', reason, detail });
  }

  private send(message: DirectoryReply): void {
    this.options.output({ type: 'send', message });
  }

  private kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    try {
      while (!this.stopped) {
        if (!this.writable) {
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const frame = this.inbox.next();
        if (frame === undefined) break;
        if (!frame.ok) {
          this.send({ ack: ACK.error, reason: deframeErrorReason(frame.code) });
          this.logRefusal(frame.detail);
          this.close('bad-input', frame.code);
          break;
        }
        if (!(await this.takeToken())) break;
        if (!this.named && !this.stopped) this.idleLimit?.start(); // a request from a nameless connection: the deadline moves
        await this.requests.handle(frame.value);
        if (this.requests.name !== undefined && !this.named) {
          // A name, once held, keeps the connection open however quiet it is, unless it promised to PING.
          this.named = true;
          this.idleLimit?.stop();
          this.options.output({ type: 'named' });
          this.watchSilence();
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Waits, if the rate limit says so, for the right to process one request. False if stopped meanwhile. */
  private async takeToken(): Promise<boolean> {
    if (!this.bucket) return true;
    for (;;) {
      const wait = this.bucket.take(this.options.clock.now());
      if (wait === 0) return true;
      await new Promise<void>((resolve) => {
        const timer = this.options.clock.setTimeout(() => {
          this.wake = undefined;
          resolve();
        }, wait);
        this.wake = () => {
          this.options.clock.clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopped) return false;
    }
  }

  private logRefusal(reason: string): void {
    this.refusals++;
    if (this.refusals <= LOGGED_REFUSALS) this.options.output({ type: 'refused', reason });
    else if (this.refusals === LOGGED_REFUSALS + 1) this.options.output({ type: 'refused', reason: `${reason} (further refusals on this connection are not logged)` });
  }

  private pushPresence(users: readonly DirectoryUser[]): void {
    if (this.stopped) return;
    if (this.writable) this.send({ event: 'presence', users });
    else this.owedPresence = users;
  }

  /** Starts the silence limit once the client announced the keep-alive, while we read from it. */
  private watchSilence(): void {
    if (this.silence && this.requests.keepAlive && !this.readingPaused && !this.stopped && !this.silence.running) this.silence.start();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
