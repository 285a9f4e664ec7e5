/** The directory server on TCP: the `node:net` adapter around the connection handlers and the directory service. */
import { createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_DIRECTORY_PORT, encodeDirectoryMessage } from '@voip/protocol';
import { createMemoryRegistry, type Registry } from '@voip/registry';
import { realClock, type Clock } from '@voip/clock';
import { ConnectionHandler, type ConnectionEffect } from './connection-handler.js';
import { DEFAULT_LIMITS } from './default-limits.js';
import { DirectoryService } from './directory-service.js';
import { ServerEvents, type CloseReason } from './events.js';
import { InactivityTimer } from './inactivity-timer.js';
import { PerIpLimits } from './per-ip-limits.js';
import { encodeReply } from './reply-bytes.js';
import { listenError } from './server-start-error.js';

export { ServerStartError, type ServerStartErrorCode } from './server-start-error.js';
export { DEFAULT_LIMITS } from './default-limits.js';

/** Options of {@link startDirectoryServer}. */
export interface DirectoryServerOptions {
  /** Interface to listen on; default `127.0.0.1` (the CLI defaults to all interfaces). */
  readonly host?: string;
  /** TCP port; 0 picks a free one; default 10000. */
  readonly port?: number;
  /** Where entries live; default a new in-memory registry. The caller keeps ownership: `close()` does not close it. */
  readonly registry?: Registry;
  /** Requests per second per connection; 0 = off. */
  readonly rateLimit?: number;
  /** Open connections per source IP, named or not; 0 = off. */
  readonly maxConnsPerIp?: number;
  /** Open connections per source IP that hold no name; 0 = off. */
  readonly maxUnnamedPerIp?: number;
  /** Idle time before a connection without a name is closed, in ms; 0 = never. */
  readonly idleTimeoutMs?: number;
  /** Silence (nothing received) after which a client that announced the keep-alive is closed, in ms; 0 = never. */
  readonly silenceLimitMs?: number;
  /** Time unsent output may wait without the socket taking any of it before the connection is closed, in ms; 0 = never. */
  readonly writeTimeoutMs?: number;
  /** Idle time before TCP keep-alive probes, in ms. */
  readonly keepAliveMs?: number;
  /** Unsent output above which a connection stops being served until it reads. */
  readonly maxWriteBufferBytes?: number;
  /** Unprocessed input above which reading from a connection pauses. */
  readonly maxReadBufferBytes?: number;
  /** Requests a connection may send while it holds no name; the next closes it. 0 = off. */
  readonly maxRequestsWithoutName?: number;
  /** Events are emitted here; pass one to see the `listening` event too. */
  readonly events?: ServerEvents;
  /** Describes the storage in the `listening` event, e.g. `memory` or `sqlite:/path`. */
  readonly storageLabel?: string;
  /** Time and timers; default the real ones. */
  readonly clock?: Clock;
}

/** A running directory server. */
export interface DirectoryServer {
  /** Where it listens (the actual port when 0 was asked). */
  readonly address: { readonly host: string; readonly port: number };
  /** What happens, for the dashboard and the log. */
  readonly events: ServerEvents;
  /** The directory behind the sockets. */
  readonly service: DirectoryService;
  /** Open connections. */
  readonly connectionCount: number;
  /**
   * Stops listening, closes every connection and removes every name they held.
   * Idempotent; resolves when done. Does not close the registry.
   */
  close(): Promise<void>;
}

/** `::ffff:1.2.3.4` (an IPv4 client of a dual-stack socket) is `1.2.3.4`. */
function plainIp(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

interface Connection {
  readonly socket: Socket;
  readonly handler: ConnectionHandler;
  readonly ip: string;
  reason: CloseReason | undefined;
  detail: string | undefined;
  /** Resolves once the socket closed and its `disconnected` event went out. */
  readonly closed: Promise<void>;
}

/**
 * Starts the directory server (PROTOCOL.md section 1) on TCP: the `node:net`
 * adapter around {@link ConnectionHandler} and {@link DirectoryService}.
 * Rejects with {@link ServerStartError} when it cannot listen.
 */
export async function startDirectoryServer(options: DirectoryServerOptions = {}): Promise<DirectoryServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? DEFAULT_DIRECTORY_PORT;
  const registry = options.registry ?? createMemoryRegistry();
  const events = options.events ?? new ServerEvents();
  const clock = options.clock ?? realClock;
  const rateLimit = options.rateLimit ?? DEFAULT_LIMITS.rateLimit;
  const limits = new PerIpLimits({
    maxConnsPerIp: options.maxConnsPerIp ?? DEFAULT_LIMITS.maxConnsPerIp,
    maxUnnamedPerIp: options.maxUnnamedPerIp ?? DEFAULT_LIMITS.maxUnnamedPerIp,
  });
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs;
  const silenceLimitMs = options.silenceLimitMs ?? DEFAULT_LIMITS.silenceLimitMs;
  const writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_LIMITS.writeTimeoutMs;
  const keepAliveMs = options.keepAliveMs ?? DEFAULT_LIMITS.keepAliveMs;
  const maxWrite = options.maxWriteBufferBytes ?? DEFAULT_LIMITS.maxWriteBufferBytes;
  const maxRead = options.maxReadBufferBytes ?? DEFAULT_LIMITS.maxReadBufferBytes;
  const maxRequestsWithoutName = options.maxRequestsWithoutName ?? DEFAULT_LIMITS.maxRequestsWithoutName;
  const service = new DirectoryService(registry, events);
  const connections = new Map<string, Connection>();
  const endings = new Set<Promise<void>>();
  let nextId = 1;
  let closing: Promise<void> | undefined;

  function accept(socket: Socket): void {
    const ip = plainIp(socket.remoteAddress);
    const id = `c${nextId++}`;
    socket.on('error', () => {
      // Reported through 'close' below; an error on one socket concerns no one else.
    });
    const reason = closing ? 'server is closing' : limits.admit(ip);
    if (reason !== undefined) {
      events.emit({ type: 'refused', at: new Date(), connection: id, ip, reason });
      socket.end(encodeDirectoryMessage({ ack: 'Error', reason }));
      socket.setTimeout(1000, () => socket.destroy());
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, keepAliveMs);
    let writable = true;
    let named = false;
    let forceClose: ReturnType<typeof setTimeout> | undefined;
    // Output that Node holds because the kernel's send buffer is full: the client reads
    // nothing, or is gone while its unacknowledged bytes fill the buffer. Each write the
    // kernel takes is progress; none for the write timeout closes the connection.
    const stalled = writeTimeoutMs > 0 ? new InactivityTimer(clock, writeTimeoutMs, () => output({ type: 'close', reason: 'slow-consumer' })) : undefined;
    const flushed = (): void => {
      if (socket.writableLength === 0) stalled?.stop();
      else stalled?.touch();
    };
    const output = (effect: ConnectionEffect): void => {
      switch (effect.type) {
        case 'send':
          if (socket.destroyed || !socket.writable) return;
          socket.write(encodeReply(effect.message), flushed);
          if (socket.writableLength > 0 && stalled && !stalled.running) stalled.start();
          if (writable && socket.writableLength > maxWrite) {
            writable = false;
            handler.setWritable(false);
          }
          return;
        case 'close':
          stalled?.stop();
          connection.reason ??= effect.reason;
          connection.detail ??= effect.detail;
          // The connection is over for the directory now: its name goes at once, not
          // when the peer has read our reply and closed its side (it may never).
          finish();
          socket.end();
          // A peer that never reads would keep the socket half-closed forever.
          forceClose = setTimeout(() => socket.destroy(), 2000);
          forceClose.unref();
          return;
        case 'pause-reading':
          socket.pause();
          return;
        case 'resume-reading':
          socket.resume();
          return;
        case 'refused':
          events.emit({ type: 'refused', at: new Date(), connection: id, ip, reason: effect.reason });
          return;
        case 'named':
          named = true;
          limits.named(ip);
          return;
      }
    };
    const handler = new ConnectionHandler({ id, ip, service, clock, output, rateLimit, idleTimeoutMs, silenceLimitMs, maxInboxBytes: maxRead, maxRequestsWithoutName });
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const connection: Connection = { socket, handler, ip, reason: undefined, detail: undefined, closed };
    connections.set(id, connection);
    events.emit({ type: 'connected', at: new Date(), connection: id, ip, remotePort: socket.remotePort ?? 0 });

    const finish = () => {
      const ending = handler.end();
      endings.add(ending);
      void ending.finally(() => endings.delete(ending));
    };
    socket.on('data', (chunk: Buffer) => handler.receive(chunk));
    socket.on('drain', () => {
      if (writable) return;
      writable = true;
      handler.setWritable(true);
    });
    socket.on('end', () => {
      connection.reason ??= 'peer-closed';
      // The name goes the moment the peer closes, not when our side has flushed.
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      connection.reason ??= error.code === 'ECONNRESET' ? 'reset' : 'socket-error';
      connection.detail ??= error.code ?? error.message;
    });
    socket.on('close', (hadError) => {
      if (forceClose) clearTimeout(forceClose);
      stalled?.stop();
      connections.delete(id);
      limits.release(ip, named);
      connection.reason ??= hadError ? 'socket-error' : 'peer-closed';
      finish();
      const { reason, detail } = connection;
      events.emit({ type: 'disconnected', at: new Date(), connection: id, ip, reason, ...(detail === undefined ? {} : { detail }) });
      markClosed();
    });
  }

  const server: Server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: keepAliveMs }, accept);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, requestedPort));
    server.once('error', onError);
    server.listen({ host, port: requestedPort }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    // Not the storage: the listening socket (e.g. EMFILE). Node keeps listening.
    events.emit({ type: 'accept-error', at: new Date(), ...(error.code === undefined ? {} : { code: error.code }), detail: error.message });
  });
  const bound = server.address();
  const address = { host, port: typeof bound === 'object' && bound ? bound.port : requestedPort };
  events.emit({ type: 'listening', at: new Date(), host: address.host, port: address.port, storage: options.storageLabel ?? 'memory' });
  service.reportShared();

  async function close(): Promise<void> {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    const ends: Promise<void>[] = [];
    for (const connection of connections.values()) {
      connection.reason ??= 'server-closing';
      connection.socket.destroy();
      ends.push(connection.handler.end(), connection.closed);
    }
    await stopped;
    await Promise.all(ends);
    while (endings.size > 0) await Promise.all([...endings]);
    await service.settled();
    service.dispose();
    events.emit({ type: 'closed', at: new Date() });
  }

  return {
    address,
    events,
    service,
    get connectionCount() {
      return connections.size;
    },
    close() {
      closing ??= close();
      return closing;
    },
  };
}
