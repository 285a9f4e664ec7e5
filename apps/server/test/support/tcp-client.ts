/** A directory client over real TCP for tests, reading replies in order. */
import { connect, type Socket } from 'node:net';
import { createJsonDeframer } from '@voip/protocol';

/** A directory client for tests: sends objects or raw text, reads replies in order. */
export interface TestClient {
  readonly socket: Socket;
  /** Writes an object as JSON with a newline, or a string as is. */
  send(message: Record<string, unknown> | string | Uint8Array): void;
  /** The next message from the server (reply or push). */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends one request and reads one message. */
  request(message: Record<string, unknown> | string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves when the server closed the connection (FIN or reset). */
  readonly closed: Promise<void>;
  /** True once the server closed. */
  readonly isClosed: boolean;
  /** Messages received and not read yet. */
  readonly queued: number;
  /** Closes politely (FIN) and waits for the socket to close. */
  end(): Promise<void>;
}

/** Opens a client to 127.0.0.1:port, optionally from another loopback address. */
export async function openClient(port: number, localAddress?: string): Promise<TestClient> {
  const socket = connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const deframer = createJsonDeframer({ maxFrameBytes: 16 * 1024 * 1024 });
  const inbox: Record<string, unknown>[] = [];
  const waiters: ((message: Record<string, unknown> | undefined) => void)[] = [];
  let isClosed = false;
  socket.on('data', (chunk) => {
    for (const result of deframer.push(chunk)) {
      if (!result.ok) throw new Error(`server sent bad JSON: ${result.detail}`);
      const waiter = waiters.shift();
      if (waiter) waiter(result.value);
      else inbox.push(result.value);
    }
  });
  const closed = new Promise<void>((resolve) =>
    socket.once('close', () => {
      isClosed = true;
      for (const waiter of waiters.splice(0)) waiter(undefined);
      resolve();
    }),
  );
  const client: TestClient = {
    socket,
    send(message) {
      socket.write(typeof message === 'string' || message instanceof Uint8Array ? message : `${JSON.stringify(message)}\n`);
    },
    next(timeoutMs = 5000) {
      const queued = inbox.shift();
      if (queued) return Promise.resolve(queued);
      if (isClosed) return Promise.reject(new Error('connection closed'));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error('no reply in time'));
        }, timeoutMs);
        const waiter = (message: Record<string, unknown> | undefined) => {
          clearTimeout(timer);
          if (message) resolve(message);
          else reject(new Error('connection closed'));
        };
        waiters.push(waiter);
      });
    },
    request(message, timeoutMs) {
      client.send(message);
      return client.next(timeoutMs);
    },
    closed,
    get isClosed() {
      return isClosed;
    },
    get queued() {
      return inbox.length;
    },
    async end() {
      socket.end();
      await closed;
    },
  };
  return client;
}

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
