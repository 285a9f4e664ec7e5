/** Test support: a directory server whose every answer the test writes, recording the requests it gets. */
import net from 'node:net';
import { createJsonDeframer } from '@voip/protocol';

/** One client connection as the scripted server sees it. */
export interface ScriptedConnection {
  readonly socket: net.Socket;
  /** Requests received so far on this connection, in order. */
  readonly requests: Record<string, unknown>[];
  /** Writes raw text (one or several messages, or part of one). */
  send(text: string): void;
  /** Writes text one byte per TCP write, yielding to the event loop between bytes. */
  trickle(text: string): Promise<void>;
}

/** Decides what the server does with each request. */
export type RequestHandler = (request: Record<string, unknown>, connection: ScriptedConnection) => void | Promise<void>;

/** A running scripted server. */
export interface ScriptedDirectoryServer {
  readonly port: number;
  readonly connections: ScriptedConnection[];
  close(): Promise<void>;
}

/**
 * A directory server on 127.0.0.1 whose answers each test writes by hand: it
 * deframes requests as our protocol does (objects back to back or newline-ended)
 * and hands each one to `handler`, which replies with raw text.
 */
export async function startScriptedDirectoryServer(handler: RequestHandler): Promise<ScriptedDirectoryServer> {
  const connections: ScriptedConnection[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const deframer = createJsonDeframer();
    const connection: ScriptedConnection = {
      socket,
      requests: [],
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      trickle: async (text) => {
        for (const byte of Buffer.from(text, 'utf8')) {
          if (socket.destroyed) return;
          socket.write(Buffer.from([byte]));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      },
    };
    connections.push(connection);
    socket.on('error', () => {});
    socket.on('data', (chunk) => {
      for (const frame of deframer.push(chunk)) {
        if (!frame.ok) throw new Error(`scripted server got bad bytes: ${frame.detail}`);
        connection.requests.push(frame.value);
        void handler(frame.value, connection);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('scripted server: no TCP address');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const connection of connections) connection.socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves when `predicate` holds, checking after each event-loop turn; fails after `limitMs`. */
export async function waitUntil(predicate: () => boolean, limitMs = 5000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > limitMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
