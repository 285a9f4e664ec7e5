/** What the server announces (connections, names, refusals, errors) and the emitter the dashboard and the log listen to. */
/** Why a connection ended, as logged. */
export type CloseReason =
  | 'disconnect'
  | 'peer-closed'
  | 'reset'
  | 'bad-input'
  | 'idle-timeout'
  /** A client that announced the keep-alive sent nothing for the silence limit. */
  | 'silent'
  | 'abuse'
  /** Output waited the write timeout without the socket taking any of it: the client stopped reading or vanished. */
  | 'slow-consumer'
  | 'too-many-connections'
  | 'server-closing'
  | 'socket-error';

/** Something the server did, for the dashboard and the log. Every event carries its time. */
export type ServerEvent =
  | { readonly type: 'listening'; readonly at: Date; readonly host: string; readonly port: number; readonly storage: string }
  | { readonly type: 'connected'; readonly at: Date; readonly connection: string; readonly ip: string; readonly remotePort: number }
  | { readonly type: 'disconnected'; readonly at: Date; readonly connection: string; readonly ip: string; readonly reason: CloseReason; readonly detail?: string }
  | { readonly type: 'registered'; readonly at: Date; readonly connection: string; readonly name: string; readonly ip: string; readonly port: number; readonly since: Date }
  | { readonly type: 'unregistered'; readonly at: Date; readonly connection: string; readonly name: string; readonly ip: string }
  | { readonly type: 'refused'; readonly at: Date; readonly connection: string; readonly ip: string; readonly reason: string }
  | { readonly type: 'storage-error'; readonly at: Date; readonly operation: string; readonly detail: string }
  /**
   * The directory is shared with other servers (PostgreSQL): which server this is, whether
   * the database answers, and how many users the others hold. Sent once listening, when
   * the database goes away or comes back (`detail` says why), and after changes on the others.
   */
  | {
      readonly type: 'directory-shared';
      readonly at: Date;
      readonly serverId: string;
      readonly available: boolean;
      readonly otherUsers: number;
      readonly detail?: string;
    }
  /** The listening socket failed to accept a connection (e.g. out of file descriptors); it keeps listening. */
  | { readonly type: 'accept-error'; readonly at: Date; readonly code?: string; readonly detail: string }
  | { readonly type: 'closed'; readonly at: Date };

/** The kinds of {@link ServerEvent}. */
export type ServerEventType = ServerEvent['type'];

/** A listener of server events. */
export type ServerEventListener = (event: ServerEvent) => void;

/**
 * Where the server announces its events. Listeners run synchronously, in the order
 * they subscribed; a listener that throws does not stop the others or the server.
 */
export class ServerEvents {
  private readonly listeners = new Set<ServerEventListener>();

  /** Subscribes a listener; returns the function that unsubscribes it. */
  on(listener: ServerEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Delivers an event to every listener. */
  emit(event: ServerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // A broken dashboard or logger must not take the directory down; say so on stderr.
        process.stderr.write(`voip-server: event listener failed (a bug): ${String(error)}\n`);
      }
    }
  }
}
