/** Why the directory server could not listen: a typed error with a stable code and a message that says what to do. */

/** Stable codes of {@link ServerStartError}. */
export type ServerStartErrorCode = 'port-in-use' | 'permission-denied' | 'address-unavailable' | 'listen-failed';

/** The server could not listen. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';

  constructor(
    /** Stable reason. */
    readonly code: ServerStartErrorCode,
    /** The address that was asked for. */
    readonly host: string,
    readonly port: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns the error of `listen()` into a {@link ServerStartError} that names the flag to change. */
export function listenError(error: NodeJS.ErrnoException, host: string, port: number): ServerStartError {
  switch (error.code) {
    case 'EADDRINUSE':
      return new ServerStartError('port-in-use', host, port, `port ${port} is already in use (on ${host}); choose another with --port`, { cause: error });
    case 'EACCES':
      return new ServerStartError('permission-denied', host, port, `not allowed to listen on port ${port}; ports below 1024 need privileges, choose another with --port`, {
        cause: error,
      });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new ServerStartError('address-unavailable', host, port, `address ${host} is not on this machine; choose another with --host`, { cause: error });
    default:
      return new ServerStartError('listen-failed', host, port, `cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
  }
}
