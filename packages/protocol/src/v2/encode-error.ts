/** The error thrown when a v2 encoder is given a value no valid message can carry: a bug in the caller, never bad network input. */

/** Thrown by the v2 encoders and sealers for an out-of-range or missing field. */
export class V2EncodeError extends Error {
  override readonly name = 'V2EncodeError';
  /** Stable code for programs. */
  readonly code = 'v2-invalid-field';
  /** The field that was refused, e.g. `callId` or `caps[0].payloadType`. */
  readonly field: string;

  constructor(field: string, detail: string) {
    super(`cannot encode v2 field ${field}: ${detail}`);
    this.field = field;
  }
}
