/** Opening the directory's TCP socket, and socket errors in words. */
import type { Clock } from '@voip/clock';
import { formatHostPort } from '@voip/protocol';
import { DirectoryError } from './directory-error.js';

/**
 * The part of a `net.Socket` the directory client uses. A test may inject any
 * duplex that offers it; one without `connecting === true` counts as already open.
 */
export interface DirectorySocket {
  readonly connecting?: boolean;
  write(data: string): unknown;
  destroy(): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
  setNoDelay?(noDelay?: boolean): unknown;
  setKeepAlive?(enable?: boolean, initialDelay?: number): unknown;
}

/** What {@link openDirectorySocket} needs. */
export interface OpenSocketOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly clock: Clock;
  readonly createSocket: (host: string, port: number) => DirectorySocket;
}

/** True for an integer TCP/UDP port, 1-65535. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Opens a socket and waits until it is connected. Rejects a {@link DirectoryError}
 * `'server-unreachable'` naming `host:port` (and why) on error, early close or
 * timeout, after destroying the socket. Resolves with `address`, `host:port`.
 */
export function openDirectorySocket(options: OpenSocketOptions): Promise<{ socket: DirectorySocket; address: string }> {
  const { host, port, connectTimeoutMs, clock } = options;
  const address = formatHostPort({ host, port });
  const unreachable = (why: string, cause?: unknown) => new DirectoryError('server-unreachable', `cannot reach the directory at ${address}: ${why}`, { cause });
  return new Promise((resolve, reject) => {
    let socket: DirectorySocket;
    try {
      socket = options.createSocket(host, port);
    } catch (error) {
      reject(unreachable(error instanceof Error ? error.message : String(error), error));
      return;
    }
    const cleanup = () => {
      clock.clearTimeout(timer);
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
    };
    const giveUp = (error: DirectoryError) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const onConnect = () => {
      cleanup();
      resolve({ socket, address });
    };
    const onError = (error: Error) => giveUp(unreachable(describeSocketError(error), error));
    const onClose = () => giveUp(unreachable('the connection closed while opening'));
    const timer = clock.setTimeout(() => giveUp(unreachable(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    if (socket.connecting !== true) {
      onConnect();
      return;
    }
    socket.on('connect', onConnect);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (is the server running on that port?)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'unknown host name',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'the server closed the connection',
};

/** A socket error in words, with its errno code: "connection refused (...) (ECONNREFUSED)". */
export function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error.message;
  return `${SOCKET_ERRORS[code] ?? error.message} (${code})`;
}
