/** Test support: a minimal directory server speaking our protocol on 127.0.0.1. */
import net from 'node:net';
import {
  ACK,
  DIRECTORY_VERSION,
  createJsonDeframer,
  decodeDirectoryRequest,
  encodeDirectoryMessage,
  nameKey,
  registeredPort,
  validateName,
  type DirectoryReply,
  type DirectoryUser,
} from '@voip/protocol';

/** A running minimal directory server on 127.0.0.1. */
export interface TestDirectoryServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The users registered now, sorted by name. */
  users(): DirectoryUser[];
  /** Drops every client connection at once (as if the server went away), keeping the listener. */
  dropConnections(): void;
  /** Closes the listener and every connection. */
  close(): Promise<void>;
}

/**
 * Starts a minimal directory server (PROTOCOL.md section 1: REG, GET, LIST, WATCH,
 * DISCONNECT and PING over TCP, newline-terminated JSON) on 127.0.0.1, on `port` or an ephemeral one.
 */
export async function startTestDirectoryServer(options: { port?: number } = {}): Promise<TestDirectoryServer> {
  const entries = new Map<string, { user: DirectoryUser; socket: net.Socket }>();
  const watchers = new Set<net.Socket>();
  const sockets = new Set<net.Socket>();

  const list = (): DirectoryUser[] => [...entries.values()].map((e) => e.user).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const write = (socket: net.Socket, message: DirectoryReply): void => {
    if (!socket.destroyed) socket.write(encodeDirectoryMessage(message));
  };
  const pushPresence = (): void => {
    for (const w of watchers) write(w, { event: 'presence', users: list() });
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    const deframer = createJsonDeframer();
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    let held: string | undefined;
    const release = (): void => {
      sockets.delete(socket);
      watchers.delete(socket);
      if (held !== undefined && entries.get(held)?.socket === socket) {
        entries.delete(held);
        held = undefined;
        pushPresence();
      }
    };
    socket.on('close', release);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const frame of deframer.push(chunk)) {
        if (!frame.ok) {
          write(socket, { ack: ACK.error, reason: frame.detail });
          socket.end();
          return;
        }
        const request = decodeDirectoryRequest(frame.value);
        if (!request.ok) {
          write(socket, { ack: ACK.error, reason: request.detail });
          continue;
        }
        const r = request.value;
        switch (r.command) {
          case 'REG': {
            const valid = validateName(r.name);
            if (!valid.ok) write(socket, { ack: ACK.registerFailed, reason: valid.detail });
            else if (held !== undefined) write(socket, { ack: ACK.registerFailed, reason: 'this connection already holds a name' });
            else if (entries.has(nameKey(r.name))) write(socket, { ack: ACK.registerFailed, reason: 'name taken' });
            else {
              held = nameKey(r.name);
              entries.set(held, { user: { name: r.name, ip, port: registeredPort(r) }, socket });
              // Like our server: a REG that announces a version is answered with ours.
              write(socket, r.v === undefined ? { ack: ACK.registered } : { ack: ACK.registered, v: DIRECTORY_VERSION });
              pushPresence();
            }
            break;
          }
          case 'GET': {
            if (held === undefined) {
              write(socket, { ack: ACK.error, reason: 'register first' });
              break;
            }
            const entry = entries.get(nameKey(r.name));
            write(socket, entry ? { ip: entry.user.ip, port: entry.user.port } : { ip: 'None' });
            break;
          }
          case 'LIST':
            if (held === undefined) write(socket, { ack: ACK.error, reason: 'register first' });
            else write(socket, { users: list() });
            break;
          case 'WATCH':
            watchers.add(socket);
            write(socket, { event: 'presence', users: list() });
            break;
          case 'PING':
            write(socket, { ack: ACK.pong });
            break;
          case 'DISCONNECT':
            if (held !== undefined && held === nameKey(r.name)) {
              write(socket, { ack: ACK.disconnected });
              release();
              socket.end();
            } else {
              write(socket, { ack: ACK.error, reason: 'not your name' });
            }
            break;
        }
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port: address.port,
    users: list,
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
