import { DEFAULT_CALL_PORT } from './constants.js';
import { fail, ok, type Result } from './result.js';

/** A user as the directory shows it. */
export interface DirectoryUser {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
}

/** A request from a client to the directory (PROTOCOL.md section 1). */
export type DirectoryRequest =
  | { readonly command: 'REG'; readonly name: string; readonly port?: number; readonly v?: number }
  | { readonly command: 'GET'; readonly name: string }
  | { readonly command: 'LIST' }
  | { readonly command: 'DISCONNECT'; readonly name: string }
  | { readonly command: 'WATCH' };

/** The commands the directory knows. */
export type DirectoryCommand = DirectoryRequest['command'];

/** Why a request could not be decoded. */
export type RequestErrorCode = 'missing-command' | 'unknown-command' | 'bad-field';

/** The reply texts of the seed's server, kept byte for byte. */
export const ACK = Object.freeze({
  registered: 'Registered successfully',
  registerFailed: 'Error Registering',
  error: 'Error',
  disconnected: 'Disconnected',
} as const);

/** A message from the directory to a client. Replies never carry `event`; pushes always do. */
export type DirectoryReply =
  | { readonly ack: typeof ACK.registered }
  | { readonly ack: typeof ACK.registerFailed; readonly reason: string }
  | { readonly ack: typeof ACK.error; readonly reason?: string }
  | { readonly ack: typeof ACK.disconnected }
  | { readonly ip: 'None' }
  | { readonly ip: string; readonly port: number }
  | { readonly users: readonly DirectoryUser[] }
  | { readonly event: 'presence'; readonly users: readonly DirectoryUser[] };

const COMMANDS: ReadonlySet<string> = new Set(['REG', 'GET', 'LIST', 'DISCONNECT', 'WATCH']);

/**
 * The command a message asks for: `command`, or its alias `cmd` (the report's
 * diagrams use it). Undefined when neither is a string.
 */
export function requestCommand(message: Record<string, unknown>): string | undefined {
  const command = message['command'] ?? message['cmd'];
  return typeof command === 'string' ? command : undefined;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Decodes a directory request from a deframed JSON object. Names are returned as
 * given: whether a name is acceptable is {@link validateName}'s call, so that REG
 * can answer "Error Registering" with the reason.
 */
export function decodeDirectoryRequest(message: Record<string, unknown>): Result<DirectoryRequest, RequestErrorCode> {
  const command = requestCommand(message);
  if (command === undefined) return fail('missing-command', 'message has no "command"');
  if (!COMMANDS.has(command)) return fail('unknown-command', 'unknown command');
  switch (command) {
    case 'LIST':
    case 'WATCH':
      return ok({ command });
    case 'GET':
    case 'DISCONNECT': {
      const name = message['name'];
      if (typeof name !== 'string') return fail('bad-field', '"name" must be a string');
      return ok({ command, name });
    }
    default: {
      const name = message['name'];
      if (typeof name !== 'string') return fail('bad-field', '"name" must be a string');
      const port = message['port'];
      if (port !== undefined && !isPort(port)) return fail('bad-field', '"port" must be an integer from 1 to 65535');
      const v = message['v'];
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
        return fail('bad-field', '"v" must be a positive integer');
      }
      return ok({ command: 'REG', name, ...(port === undefined ? {} : { port }), ...(v === undefined ? {} : { v }) });
    }
  }
}

/** The UDP port a REG asks for: its `port` field, else 5001 (PROTOCOL.md section 1). */
export function registeredPort(request: { readonly port?: number }): number {
  return request.port ?? DEFAULT_CALL_PORT;
}

/** Encodes one directory message: compact JSON followed by `\n`. */
export function encodeDirectoryMessage(message: DirectoryRequest | DirectoryReply): string {
  return `${JSON.stringify(message)}\n`;
}

/** A directory reply, sorted by what it answers. */
export type DecodedReply =
  | { readonly kind: 'ack'; readonly ack: string; readonly reason?: string }
  | { readonly kind: 'address'; readonly user: DirectoryUser | null }
  | { readonly kind: 'users'; readonly users: DirectoryUser[] }
  | { readonly kind: 'presence'; readonly users: DirectoryUser[] };

/** Why a reply could not be understood. */
export type ReplyErrorCode = 'unknown-reply' | 'bad-field';

function decodeUsers(value: unknown): DirectoryUser[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const users: DirectoryUser[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { name, ip, port } = item as Record<string, unknown>;
    if (typeof name !== 'string' || typeof ip !== 'string') return undefined;
    users.push({ name, ip, port: isPort(port) ? port : DEFAULT_CALL_PORT });
  }
  return users;
}

/**
 * Decodes a message from the directory. `{"ip": ...}` without a port (a classic
 * server) means port 5001. Never throws.
 */
export function decodeDirectoryReply(message: Record<string, unknown>, lookedUpName = ''): Result<DecodedReply, ReplyErrorCode> {
  if (message['event'] === 'presence') {
    const users = decodeUsers(message['users']);
    return users ? ok({ kind: 'presence', users }) : fail('bad-field', 'presence event without a valid "users" list');
  }
  if ('users' in message) {
    const users = decodeUsers(message['users']);
    return users ? ok({ kind: 'users', users }) : fail('bad-field', '"users" must be a list of users');
  }
  if ('ip' in message) {
    const ip = message['ip'];
    if (ip === 'None' || ip === null) return ok({ kind: 'address', user: null });
    if (typeof ip !== 'string') return fail('bad-field', '"ip" must be a string');
    const port = message['port'];
    return ok({ kind: 'address', user: { name: lookedUpName, ip, port: isPort(port) ? port : DEFAULT_CALL_PORT } });
  }
  if (typeof message['ack'] === 'string') {
    const reason = message['reason'];
    return ok({ kind: 'ack', ack: message['ack'], ...(typeof reason === 'string' ? { reason } : {}) });
  }
  return fail('unknown-reply', 'message is not a directory reply');
}
