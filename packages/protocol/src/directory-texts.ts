/** The fixed texts of directory replies: the seed server's `ack` values and our server's error `reason`s. */
/** The reply texts of the seed's server, kept byte for byte. */
export const ACK = Object.freeze({
  registered: 'Registered successfully',
  registerFailed: 'Error Registering',
  error: 'Error',
  disconnected: 'Disconnected',
  /** Our server's answer to PING (an extension: the seed's server has no PING). */
  pong: 'PONG',
} as const);

/**
 * The `reason` texts of our server's error replies (docs/protocol.md lists when each is
 * sent and whether the connection closes). A refused name's reason is the detail
 * of {@link validateName}'s result instead.
 */
export const REASON = Object.freeze({
  /** `{"ack": "Error"}`: an unknown command, or an object without a string `command`/`cmd`; stays open. */
  unknownCommand: 'unknown command',
  /** `{"ack": "Error Registering"}`: someone else holds the name (compared regardless of case). */
  nameTaken: 'name already taken',
  /** `{"ack": "Error Registering"}`: this connection already holds a name. */
  alreadyRegistered: 'this connection already holds a name',
  /** `{"ack": "Error"}`: GET, LIST or WATCH before REG. */
  notRegistered: 'register first',
  /** `{"ack": "Error"}`: DISCONNECT of a name this connection does not hold. */
  notYourName: 'that name belongs to another connection',
  /** `{"ack": "Error"}`, then close: a message over 64 KiB. */
  frameTooLarge: 'message too large',
  /** `{"ack": "Error"}`, then close: bytes that are not UTF-8 JSON. */
  invalidJson: 'invalid JSON',
  /** `{"ack": "Error"}`, then close: JSON that is not an object. */
  notAnObject: 'message must be a JSON object',
} as const);
