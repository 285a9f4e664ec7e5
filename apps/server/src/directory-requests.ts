/** The answers to one connection's directory requests (REG, GET, LIST, WATCH, DISCONNECT), for its name. */
import {
  ACK,
  CAPS_MIN_VERSION,
  DIRECTORY_VERSION,
  KEEPALIVE_MIN_VERSION,
  REASON,
  decodeDirectoryRequest,
  nameKey,
  registeredPort,
  requestCommand,
  validateName,
  type DirectoryReply,
  type DirectoryRequest,
  type DirectoryUser,
} from '@voip/protocol';
import type { DirectoryService, DirectoryView } from './directory-service.js';
import type { CloseReason } from './events.js';

/** Reason sent before closing a connection that kept sending requests without a name. */
export const TOO_MANY_WITHOUT_NAME = 'too many requests without a name';

/** What {@link DirectoryRequests} needs from its connection. */
export interface RequestContext {
  /** Opaque connection id: the owner of the name in the registry. */
  readonly id: string;
  /** Source IP of the connection: the IP stored for its name. */
  readonly ip: string;
  readonly service: DirectoryService;
  /** Requests the connection may send while it holds no name; the next one closes it. 0 = no limit. */
  readonly maxRequestsWithoutName: number;
  send(message: DirectoryReply): void;
  /** A request was refused: for the log. */
  refused(reason: string): void;
  /** Flush what was sent, then close. */
  close(reason: CloseReason): void;
  /** A presence list for a WATCH, sent now or merged until the connection can take it. */
  pushPresence(users: readonly DirectoryUser[]): void;
}

/**
 * Answers the requests of one connection, one at a time, and keeps the name it holds
 * (PROTOCOL.md section 1). No I/O: replies and actions go through the {@link RequestContext}.
 */
export class DirectoryRequests {
  private heldName: string | undefined;
  /** How this connection is shown users: v2 once it registered with `v` 2 or later. */
  private view: DirectoryView = 'classic';
  /** True once a REG that announced the keep-alive (`v` >= 2) succeeded: the client promised to PING. */
  private announcedKeepAlive = false;
  private requestsWithoutName = 0;

  constructor(private readonly context: RequestContext) {}

  /** The name this connection holds, if any. */
  get name(): string | undefined {
    return this.heldName;
  }

  /**
   * True once this connection registered with `v` >= `KEEPALIVE_MIN_VERSION`: the
   * client sends PING when quiet, so silence means it is gone (PROTOCOL.md section 1).
   */
  get keepAlive(): boolean {
    return this.announcedKeepAlive;
  }

  /** The connection ended: it holds no name any more (the caller releases it). */
  forget(): void {
    this.heldName = undefined;
  }

  /** Answers one request: a JSON object as it came off the wire. */
  async handle(message: Record<string, unknown>): Promise<void> {
    const limit = this.context.maxRequestsWithoutName;
    if (this.heldName === undefined && limit > 0 && ++this.requestsWithoutName > limit) {
      this.context.send({ ack: ACK.error, reason: TOO_MANY_WITHOUT_NAME });
      this.context.refused(TOO_MANY_WITHOUT_NAME);
      this.context.close('abuse');
      return;
    }
    const decoded = decodeDirectoryRequest(message);
    if (!decoded.ok) {
      if ((decoded.code === 'bad-field' || decoded.code === 'bad-caps') && requestCommand(message) === 'REG') {
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
      case 'PING':
        this.context.send({ ack: ACK.pong });
        return;
    }
  }

  private refuse(reply: DirectoryReply & { readonly reason: string }): void {
    this.context.send(reply);
    this.context.refused(reply.reason);
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
    const { id, ip, service } = this.context;
    const announced = { ...(request.v === undefined ? {} : { version: request.v }), ...(request.caps === undefined ? {} : { caps: request.caps }) };
    const result = await service.register(id, ip, valid.value, registeredPort(request), announced);
    if (result.ok) {
      this.heldName = result.value.name;
      this.view = request.v !== undefined && request.v >= CAPS_MIN_VERSION ? 'v2' : 'classic';
      this.announcedKeepAlive = request.v !== undefined && request.v >= KEEPALIVE_MIN_VERSION;
      // Only a client that announced a version learns ours: a classic client gets the classic bytes.
      this.context.send(request.v === undefined ? { ack: ACK.registered } : { ack: ACK.registered, v: DIRECTORY_VERSION });
    } else if (result.code === 'storage-failed') {
      this.context.send({ ack: ACK.error, reason: result.detail });
    } else {
      this.refuse({ ack: ACK.registerFailed, reason: result.detail });
    }
  }

  private async lookup(name: string): Promise<void> {
    const result = await this.context.service.lookup(name, this.view);
    if (!result.ok) this.context.send({ ack: ACK.error, reason: result.detail });
    else if (result.value === undefined) this.context.send({ ip: 'None' });
    else {
      const { ip, port, v, caps } = result.value;
      this.context.send({ ip, port, ...(v === undefined ? {} : { v }), ...(caps === undefined ? {} : { caps }) });
    }
  }

  private async list(): Promise<void> {
    const result = await this.context.service.list(this.view);
    this.context.send(result.ok ? { users: result.value } : { ack: ACK.error, reason: result.detail });
  }

  private async watch(): Promise<void> {
    // Subscribe before reading, so no change is missed; but a push must not overtake
    // the reply: one that comes while the list is read is held and sent after it (it
    // is the broadcaster's, so the watcher ends with the latest list).
    let replied = false;
    let heldPush: readonly DirectoryUser[] | undefined;
    const stop = this.context.service.watch(
      this.context.id,
      (users) => {
        if (replied) this.context.pushPresence(users);
        else heldPush = users;
      },
      this.view,
    );
    const result = await this.context.service.list(this.view);
    replied = true;
    if (!result.ok) {
      stop();
      this.context.send({ ack: ACK.error, reason: result.detail });
      return;
    }
    this.context.send({ event: 'presence', users: result.value });
    if (heldPush !== undefined && heldPush !== result.value) this.context.pushPresence(heldPush);
  }

  private async disconnect(name: string): Promise<void> {
    if (this.heldName !== undefined && nameKey(name) !== nameKey(this.heldName)) {
      this.refuse({ ack: ACK.error, reason: REASON.notYourName });
      return;
    }
    // Remove first, then answer: once the client reads "Disconnected" nobody finds the name.
    this.heldName = undefined;
    await this.context.service.release(this.context.id);
    this.context.send({ ack: ACK.disconnected });
    this.context.close('disconnect');
  }
}
