import {
  ACK,
  DIRECTORY_VERSION,
  REASON,
  createJsonDeframer,
  deframeErrorReason,
  decodeDirectoryRequest,
  registeredPort,
  requestCommand,
  validateName,
  nameKey,
  type DeframeResult,
  type DirectoryReply,
  type DirectoryRequest,
  type DirectoryUser,
} from '@voip/protocol';
import type { Clock, TimerHandle } from '@voip/clock';
import type { DirectoryService } from './directory-service.js';
import type { CloseReason } from './events.js';
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
  | { readonly type: 'refused'; readonly reason: string };

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

/** Reason sent before closing a connection that kept sending requests without a name. */
export const TOO_MANY_WITHOUT_NAME = 'too many requests without a name';

/** Largest slice of input deframed at once, so one read cannot queue thousands of requests. */
const SLICE_BYTES = 4096;

/**
 * The directory protocol of one connection (PROTOCOL.md section 1), without I/O:
 * bytes go in through {@link receive}, replies and actions come out as
 * {@link ConnectionEffect}s. Requests are processed one after another, so replies
 * keep request order although the registry is asynchronous.
 */
export class ConnectionHandler {
  private readonly deframer = createJsonDeframer();
  private readonly inbox: Uint8Array[] = [];
  private inboxBytes = 0;
  // Frames cut from the last slice, read from `frameIndex` on (no O(n) shift per request).
  private frames: DeframeResult[] = [];
  private frameIndex = 0;
  private requestsWithoutName = 0;
  private refusals = 0;
  private readonly bucket: TokenBucket | undefined;
  private readonly maxInboxBytes: number;
  private heldName: string | undefined;
  private stopped = false;
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private paused = false;
  private writable = true;
  private owedPresence: readonly DirectoryUser[] | undefined;
  private wake: (() => void) | undefined;
  private idleTimer: TimerHandle | undefined;
  private ended: Promise<void> | undefined;

  constructor(private readonly options: ConnectionHandlerOptions) {
    this.maxInboxBytes = options.maxInboxBytes ?? 64 * 1024;
    this.bucket = options.rateLimit > 0 ? new TokenBucket(options.rateLimit, options.rateLimit * 2, options.clock.now()) : undefined;
    this.armIdleTimer();
  }

  /** The name this connection holds, if any. */
  get name(): string | undefined {
    return this.heldName;
  }

  /** Bytes received and not yet processed (excluding a partial frame inside the deframer). */
  get pendingBytes(): number {
    return this.inboxBytes;
  }

  /** Feeds bytes from the connection, split anywhere. */
  receive(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    this.inbox.push(chunk);
    this.inboxBytes += chunk.length;
    if (!this.paused && this.inboxBytes >= this.maxInboxBytes) {
      this.paused = true;
      this.options.output({ type: 'pause-reading' });
    }
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
      this.heldName = undefined;
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
    this.clearIdleTimer();
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
        const frame = this.nextFrame();
        if (frame === undefined) break;
        if (!frame.ok) {
          this.send({ ack: ACK.error, reason: deframeErrorReason(frame.code) });
          this.logRefusal(frame.detail);
          this.close('bad-input', frame.code);
          break;
        }
        if (!(await this.takeToken())) break;
        await this.handle(frame.value);
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

  private nextFrame(): DeframeResult | undefined {
    while (this.frameIndex >= this.frames.length && this.inbox.length > 0) {
      const head = this.inbox[0]!;
      let slice: Uint8Array;
      if (head.length <= SLICE_BYTES) {
        slice = head;
        this.inbox.shift();
      } else {
        slice = head.subarray(0, SLICE_BYTES);
        this.inbox[0] = head.subarray(SLICE_BYTES);
      }
      this.inboxBytes -= slice.length;
      this.frames = this.deframer.push(slice);
      this.frameIndex = 0;
    }
    if (this.paused && this.inboxBytes <= this.maxInboxBytes / 2) {
      this.paused = false;
      this.options.output({ type: 'resume-reading' });
    }
    return this.frameIndex < this.frames.length ? this.frames[this.frameIndex++] : undefined;
  }

  private async handle(message: Record<string, unknown>): Promise<void> {
    this.armIdleTimer();
    const limit = this.options.maxRequestsWithoutName ?? 20;
    if (this.heldName === undefined && limit > 0 && ++this.requestsWithoutName > limit) {
      this.send({ ack: ACK.error, reason: TOO_MANY_WITHOUT_NAME });
      this.logRefusal(TOO_MANY_WITHOUT_NAME);
      this.close('abuse');
      return;
    }
    const decoded = decodeDirectoryRequest(message);
    if (!decoded.ok) {
      if (decoded.code === 'bad-field' && requestCommand(message) === 'REG') {
        this.refuse({ ack: ACK.registerFailed, reason: decoded.detail });
      } else {
        this.refuse({ ack: ACK.error, reason: decoded.code === 'bad-field' ? decoded.detail : REASON.unknownCommand });
      }
      return;
    }
    const request = decoded.value;
    switch (request.command) {
      case 'REG':
        return this.register(request);
      case 'GET':
      case 'LIST':
      case 'WATCH':
        if (this.heldName === undefined) {
          this.refuse({ ack: ACK.error, reason: REASON.notRegistered });
          return;
        }
        if (request.command === 'GET') return this.lookup(request.name);
        if (request.command === 'LIST') return this.list();
        return this.watch();
      case 'DISCONNECT':
        return this.disconnect(request.name);
    }
  }

  private refuse(reply: DirectoryReply & { readonly reason: string }): void {
    this.send(reply);
    this.logRefusal(reply.reason);
  }

  private logRefusal(reason: string): void {
    this.refusals++;
    if (this.refusals <= LOGGED_REFUSALS) this.options.output({ type: 'refused', reason });
    else if (this.refusals === LOGGED_REFUSALS + 1) this.options.output({ type: 'refused', reason: `${reason} (further refusals on this connection are not logged)` });
  }

  private async register(request: Extract<DirectoryRequest, { command: 'REG' }>): Promise<void> {
    if (this.heldName !== undefined) {
      this.refuse({ ack: ACK.registerFailed, reason: REASON.alreadyRegistered });
      return;
    }
    const valid = validateName(request.name);
    if (!valid.ok) {
      this.refuse({ ack: ACK.registerFailed, reason: valid.detail });
      return;
    }
    const result = await this.options.service.register(this.options.id, this.options.ip, valid.value, registeredPort(request));
    if (result.ok) {
      this.heldName = result.value.name;
      this.clearIdleTimer();
      // Only a client that announced a version learns ours: a classic client gets the classic bytes.
      this.send(request.v === undefined ? { ack: ACK.registered } : { ack: ACK.registered, v: DIRECTORY_VERSION });
    } else if (result.code === 'storage-failed') {
      this.send({ ack: ACK.error, reason: result.detail });
    } else {
      this.refuse({ ack: ACK.registerFailed, reason: result.detail });
    }
  }

  private async lookup(name: string): Promise<void> {
    const result = await this.options.service.lookup(name);
    if (!result.ok) this.send({ ack: ACK.error, reason: result.detail });
    else if (result.value === undefined) this.send({ ip: 'None' });
    else this.send({ ip: result.value.ip, port: result.value.port });
  }

  private async list(): Promise<void> {
    const result = await this.options.service.list();
    this.send(result.ok ? { users: result.value } : { ack: ACK.error, reason: result.detail });
  }

  private async watch(): Promise<void> {
    // Subscribe before reading, so no change is missed; but a push must not overtake
    // the reply: one that comes while the list is read is held and sent after it (it
    // is the broadcaster's, so the watcher ends with the latest list).
    let replied = false;
    let heldPush: readonly DirectoryUser[] | undefined;
    const stop = this.options.service.watch(this.options.id, (users) => {
      if (replied) this.pushPresence(users);
      else heldPush = users;
    });
    const result = await this.options.service.list();
    replied = true;
    if (!result.ok) {
      stop();
      this.send({ ack: ACK.error, reason: result.detail });
      return;
    }
    this.send({ event: 'presence', users: result.value });
    if (heldPush !== undefined && heldPush !== result.value) this.pushPresence(heldPush);
  }

  private pushPresence(users: readonly DirectoryUser[]): void {
    if (this.stopped) return;
    if (this.writable) this.send({ event: 'presence', users });
    else this.owedPresence = users;
  }

  private async disconnect(name: string): Promise<void> {
    if (this.heldName !== undefined && nameKey(name) !== nameKey(this.heldName)) {
      this.refuse({ ack: ACK.error, reason: REASON.notYourName });
      return;
    }
    // Remove first, then answer: once the client reads "Disconnected" nobody finds the name.
    this.heldName = undefined;
    await this.options.service.release(this.options.id);
    this.send({ ack: ACK.disconnected });
    this.close('disconnect');
  }

  private armIdleTimer(): void {
    this.clearIdleTimer();
    if (this.options.idleTimeoutMs <= 0 || this.heldName !== undefined || this.stopped) return;
    this.idleTimer = this.options.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.heldName === undefined) this.close('idle-timeout');
    }, this.options.idleTimeoutMs);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer === undefined) return;
    this.options.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
