/** The phone's errors: `PhoneError` with a stable `code`, `CallFailedError` with the call's `reason`. */
import type { EndReason } from './phone-types.js';

/** Stable codes of {@link PhoneError}. */
export type PhoneErrorCode =
  | 'udp-port-in-use'
  | 'udp-bind-failed'
  | 'server-unreachable'
  | 'name-refused'
  | 'name-invalid'
  | 'not-connected'
  | 'busy'
  | 'invalid-state'
  | 'invalid-option'
  | 'list-unsupported'
  | 'directory-error'
  | 'audio-error'
  | 'closed';

/** A phone operation failed; `code` says why, for programs. */
export class PhoneError extends Error {
  override readonly name = 'PhoneError';
  readonly code: PhoneErrorCode;
  /** The UDP port concerned, for 'udp-port-in-use' and 'udp-bind-failed'. */
  readonly port?: number;

  constructor(code: PhoneErrorCode, message: string, options: { cause?: unknown; port?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.port !== undefined) this.port = options.port;
  }
}

/** A call could not be placed or ended before it connected; `reason` says why. */
export class CallFailedError extends Error {
  override readonly name = 'CallFailedError';
  /** Always 'call-failed'; the precise cause is `reason`. */
  readonly code = 'call-failed';
  readonly reason: EndReason;
  /** Whom we tried to call. */
  readonly peer: string;
  readonly detail?: string;

  constructor(peer: string, reason: EndReason, detail?: string) {
    super(`call to ${peer} failed: ${reason}${detail ? ` (${detail})` : ''}`);
    this.peer = peer;
    this.reason = reason;
    if (detail !== undefined) this.detail = detail;
  }
}
