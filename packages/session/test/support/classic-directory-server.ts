import net from 'node:net';

/** A running classic directory double. */
export interface ClassicDirectoryServer {
  /** The TCP port it listens on, on 127.0.0.1. */
  readonly port: number;
  /** Who is registered: name -> IP address (the classic server stores no UDP port). */
  readonly users: Map<string, string>;
  /** Every request it parsed, in arrival order, as sent. */
  readonly requests: Record<string, unknown>[];
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/**
 * Starts a double of the reference directory server behind the seed report
 * (`compte-rendu-sae-poo-2023.md`, "Protocole Communication serveur") on 127.0.0.1,
 * built from that report and PROTOCOL.md alone:
 *
 * - one `data` event is one request, like the reference's `recv(1024)`, parsed with
 *   `JSON.parse`; bytes that do not parse end the connection (the reference's
 *   thread died on them);
 * - replies are bare `JSON.stringify(...)` bytes with no newline;
 * - REG stores the name with the connection's source IP (a name already taken is
 *   overwritten, as the report's "Double Appel" diagram shows) and answers
 *   `{"ack": "Registered successfully"}`; an empty or non-string name gets
 *   `{"ack": "Error Registering"}`;
 * - GET answers `{"ip": "a.b.c.d"}` (no port) or `{"ip": "None"}`;
 * - DISCONNECT removes the name, answers `{"ack": "Disconnected"}` and closes;
 * - any other command (LIST, WATCH...) gets the last reply sent on that connection
 *   again, or nothing when there was none;
 * - when a connection closes, the names it registered are removed.
 */
export async function startClassicDirectoryServer(): Promise<ClassicDirectoryServer> {
  const users = new Map<string, string>();
  const requests: Record<string, unknown>[] = [];
  const sockets = new Set<net.Socket>();
  const owners = new Map<string, net.Socket>();
  const release = (name: string, socket: net.Socket) => {
    if (owners.get(name) !== socket) return;
    owners.delete(name);
    users.delete(name);
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    const ip = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const owned = new Set<string>();
    let lastReply: string | undefined;
    const reply = (message: Record<string, unknown>) => {
      lastReply = JSON.stringify(message);
      socket.write(lastReply);
    };
    socket.on('data', (chunk) => {
      let message: unknown;
      try {
        message = JSON.parse(chunk.toString('utf8'));
      } catch {
        socket.destroy();
        return;
      }
      if (typeof message !== 'object' || message === null) {
        socket.destroy();
        return;
      }
      const request = message as Record<string, unknown>;
      requests.push(request);
      const command = request['command'] ?? request['cmd'];
      const name = request['name'];
      switch (command) {
        case 'REG':
          if (typeof name !== 'string' || name.length === 0) {
            reply({ ack: 'Error Registering' });
            return;
          }
          users.set(name, ip);
          owners.set(name, socket);
          owned.add(name);
          reply({ ack: 'Registered successfully' });
          return;
        case 'GET': {
          const found = typeof name === 'string' ? users.get(name) : undefined;
          reply({ ip: found ?? 'None' });
          return;
        }
        case 'DISCONNECT':
          if (typeof name === 'string') release(name, socket);
          reply({ ack: 'Disconnected' });
          socket.end();
          return;
        default:
          if (lastReply !== undefined) socket.write(lastReply);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      for (const name of owned) release(name, socket);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('classic directory double: no TCP address');

  return {
    port: address.port,
    users,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
