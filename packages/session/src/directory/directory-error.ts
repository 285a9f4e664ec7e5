/** Stable codes of {@link DirectoryError}, for programs to branch on. */
export type DirectoryErrorCode =
  /** The TCP connection could not be opened (refused, unreachable, timed out...). */
  | 'server-unreachable'
  /** REG was answered "Error Registering" (or the name breaks the naming rules); see `reason`. */
  | 'name-refused'
  /** The server answered `{"ack": "Error"}`: it failed, or refused a request it knows. */
  | 'server-error'
  /** The server does not offer LIST (a classic server). */
  | 'list-unsupported'
  /** No fitting reply came within the request timeout. */
  | 'timeout'
  /** The connection closed before the request was answered. */
  | 'connection-closed'
  /** The server sent bytes that are not directory JSON; the connection was closed. */
  | 'protocol-error';

/** Options of {@link DirectoryError}. */
export interface DirectoryErrorOptions {
  /** The server's own words (`"reason"` of its reply), when it gave any. */
  readonly reason?: string;
  /** The underlying error, if any. */
  readonly cause?: unknown;
}

/** A failure of the directory client. Branch on `code`; `message` is for people. */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  /** What went wrong, as a stable code. */
  readonly code: DirectoryErrorCode;
  /** The server's reason, when it gave one (e.g. why a name was refused). */
  readonly reason?: string;

  constructor(code: DirectoryErrorCode, message: string, options: DirectoryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}
