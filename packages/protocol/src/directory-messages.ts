/** Directory messages (PROTOCOL.md section 1): the request and reply types and their codecs. */
import { DEFAULT_CALL_PORT } from './constants.js';
import { decodeDirectoryCaps, type DirectoryCaps } from './directory-caps.js';
import { ACK, REASON } from './directory-texts.js';
import type { DeframeErrorCode } from './json-deframer.js';
import { fail, ok, type Result } from './result.js';

/** A user as the directory shows it. */
export interface DirectoryUser {
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  /** The directory version the user registered with, shown only to v2 askers and only when it is 2 or later. */
  readonly v?: number;
  /** The media capabilities the user registered, shown only to v2 askers. */
  readonly caps?: DirectoryCaps;
}

/** A request from a client to the directory (PROTOCOL.md section 1). */
export type DirectoryRequest =
  | { readonly command: 'REG'; readonly name: string; readonly port?: number; readonly v?: number; readonly caps?: DirectoryCaps }
  | { readonly command: 'GET'; readonly name: string }
  | { readonly command: 'LIST'; readonly name?: string }
  | { readonly command: 'DISCONNECT'; readonly name: string }
  | { readonly command: 'WATCH'; readonly name?: string }
  | { readonly command: 'PING'; readonly name?: string };

/** The commands the directory knows. */
export type DirectoryCommand = DirectoryRequest['command'];

/** Why a request could not be decoded. */
export type RequestErrorCode = 'missing-command' | 'unknown-command' | 'bad-field' | 'bad-caps';

/** The first directory version whose REG may carry `caps`, and whose askers are shown `v` and `caps`. */
export const CAPS_MIN_VERSION = 2;

/** The first directory version whose clients announce the PING keep-alive (PROTOCOL.md section 1). */
export const KEEPALIVE_MIN_VERSION = 2;

/** How long a keep-alive client stays quiet before it sends PING. */
export const KEEPALIVE_IDLE_MS = 10_000;

/** How long our server lets a client that announced the keep-alive stay silent before it drops it (at most 30 s, PROTOCOL.md). */
export const KEEPALIVE_SILENCE_LIMIT_MS = 30_000;

/** The `reason` to send before closing a connection whose stream the deframer refused. */
export function deframeErrorReason(code: DeframeErrorCode): string {
  switch (code) {
    case 'frame-too-large':
      return REASON.frameTooLarge;
    case 'invalid-json':
      return REASON.invalidJson;
    case 'not-an-object':
      return REASON.notAnObject;
  }
}

/** A message from the directory to a client. Replies never carry `event`; pushes always do. */
export type DirectoryReply =
  | { readonly ack: typeof ACK.registered; readonly v?: number }
  | { readonly ack: typeof ACK.registerFailed; readonly reason: string }
  | { readonly ack: typeof ACK.error; readonly reason?: string }
  | { readonly ack: typeof ACK.disconnected }
  | { readonly ack: typeof ACK.pong }
  | { readonly ip: 'None' }
  | { readonly ip: string; readonly port: number; readonly v?: number; readonly caps?: DirectoryCaps }
  | { readonly users: readonly DirectoryUser[] }
  | { readonly event: 'presence'; readonly users: readonly DirectoryUser[] };

const COMMANDS: ReadonlySet<string> = new Set(['REG', 'GET', 'LIST', 'DISCONNECT', 'WATCH', 'PING']);

/**
 * The command a message asks for: `command`, or its alias `cmd` (the report's
 * diagrams use it). Undefined when neither is a string.
 */
export function requestCommand(message: Record<string, unknown>): string | undefined {
  const command = own(message, 'command') ?? own(message, 'cmd');
  return typeof command === 'string' ? command : undefined;
}

/** A field of a decoded message, read only if the message itself holds it (never from its prototype). */
function own(message: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(message, key) ? message[key] : undefined;
}

function isVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Decodes a directory request from a deframed JSON object. Names are returned as
 * given: whether a name is acceptable is {@link validateName}'s call, so that REG
 * can answer "Error Registering" with the reason. A REG's `caps` must come with `v`
 * 2 or later and pass {@link decodeDirectoryCaps} (`bad-caps` otherwise); it is
 * returned in canonical form.
 */
export function decodeDirectoryRequest(message: Record<string, unknown>): Result<DirectoryRequest, RequestErrorCode> {
  const command = requestCommand(message);
  if (command === undefined) return fail('missing-command', 'message has no "command"');
  if (!COMMANDS.has(command)) return fail('unknown-command', REASON.unknownCommand);
  switch (command) {
    case 'LIST':
    case 'WATCH':
    case 'PING': {
      // Our client names itself in every extension request, so a classic server survives it.
      const name = own(message, 'name');
      return ok(typeof name === 'string' ? { command, name } : { command });
    }
    case 'GET':
    case 'DISCONNECT': {
      const name = own(message, 'name');
      if (typeof name !== 'string') return fail('bad-field', '"name" must be a string');
      return ok({ command, name });
    }
    default: {
      const name = own(message, 'name');
      if (typeof name !== 'string') return fail('bad-field', '"name" must be a string');
      const port = own(message, 'port');
      if (port !== undefined && !isPort(port)) return fail('bad-field', '"port" must be an integer from 1 to 65535');
      const v = own(message, 'v');
      if (v !== undefined && !isVersion(v)) {
        return fail('bad-field', '"v" must be a positive integer');
      }
      const rawCaps = own(message, 'caps');
      if (rawCaps === undefined) return ok({ command: 'REG', name, ...(port === undefined ? {} : { port }), ...(v === undefined ? {} : { v }) });
      if (v === undefined || v < CAPS_MIN_VERSION) return fail('bad-caps', `"caps" needs "v" ${CAPS_MIN_VERSION} or later`);
      const caps = decodeDirectoryCaps(rawCaps);
      if (!caps.ok) return fail('bad-caps', caps.detail);
      return ok({ command: 'REG', name, ...(port === undefined ? {} : { port }), v, caps: caps.value });
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

const utf8 = new TextEncoder();

/** {@link encodeDirectoryMessage} as the UTF-8 bytes to write on the socket. */
export function encodeDirectoryBytes(message: DirectoryRequest | DirectoryReply): Uint8Array {
  return utf8.encode(encodeDirectoryMessage(message));
}

/** A directory reply, sorted by what it answers. */
export type DecodedReply =
  /** An `ack` reply; `v` is the server's directory version, sent only by our server in answer to a REG carrying `v`. */
  | { readonly kind: 'ack'; readonly ack: string; readonly reason?: string; readonly v?: number }
  | { readonly kind: 'address'; readonly user: DirectoryUser | null }
  | { readonly kind: 'users'; readonly users: DirectoryUser[] }
  | { readonly kind: 'presence'; readonly users: DirectoryUser[] };

/** Why a reply could not be understood. */
export type ReplyErrorCode = 'unknown-reply' | 'bad-field';

/** The port of a user or address: absent means 5001 (a classic server sends none). */
function decodePort(value: unknown): number | undefined {
  if (value === undefined) return DEFAULT_CALL_PORT;
  return isPort(value) ? value : undefined;
}

/** The optional `v` and `caps` of a user or address (sent to v2 askers only); undefined when either is malformed. */
function decodeV2Fields(record: Record<string, unknown>): { readonly v?: number; readonly caps?: DirectoryCaps } | undefined {
  const v = own(record, 'v');
  if (v !== undefined && !isVersion(v)) return undefined;
  const rawCaps = own(record, 'caps');
  if (rawCaps === undefined) return v === undefined ? {} : { v };
  const caps = decodeDirectoryCaps(rawCaps);
  if (!caps.ok) return undefined;
  return { ...(v === undefined ? {} : { v }), caps: caps.value };
}

function decodeUsers(value: unknown): DirectoryUser[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const users: DirectoryUser[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
    const record = item as Record<string, unknown>;
    const name = own(record, 'name');
    const ip = own(record, 'ip');
    const port = decodePort(own(record, 'port'));
    if (typeof name !== 'string' || typeof ip !== 'string' || port === undefined) return undefined;
    const extra = decodeV2Fields(record);
    if (extra === undefined) return undefined;
    users.push({ name, ip, port, ...extra });
  }
  return users;
}

/**
 * Decodes a message from the directory: a reply, or a pushed `presence` event.
 * `{"ip": ...}` without a port (a classic server) means port 5001; `lookedUpName` is
 * the name the GET asked for, copied into the returned user since the reply does not
 * carry it. Users and addresses keep the `v` and `caps` our server shows v2 askers
 * (`caps` in canonical form, unknown codecs kept); a malformed one is `bad-field`.
 * A message with an `event` other than `presence` is `unknown-reply`: replies never
 * carry `event`. Never throws.
 */
export function decodeDirectoryReply(message: Record<string, unknown>, lookedUpName = ''): Result<DecodedReply, ReplyErrorCode> {
  if (Object.hasOwn(message, 'event')) {
    if (own(message, 'event') !== 'presence') return fail('unknown-reply', 'unknown event');
    const users = decodeUsers(own(message, 'users'));
    return users ? ok({ kind: 'presence', users }) : fail('bad-field', 'presence event without a valid "users" list');
  }
  if (Object.hasOwn(message, 'users')) {
    const users = decodeUsers(own(message, 'users'));
    return users ? ok({ kind: 'users', users }) : fail('bad-field', '"users" must be a list of {name, ip, port} (and valid "v" and "caps")');
  }
  if (Object.hasOwn(message, 'ip')) {
    const ip = own(message, 'ip');
    if (ip === 'None' || ip === null) return ok({ kind: 'address', user: null });
    if (typeof ip !== 'string' || ip.length === 0) return fail('bad-field', '"ip" must be a non-empty string');
    const port = decodePort(own(message, 'port'));
    if (port === undefined) return fail('bad-field', '"port" must be an integer from 1 to 65535');
    const extra = decodeV2Fields(message);
    if (extra === undefined) return fail('bad-field', '"v" must be a positive integer and "caps" valid caps');
    return ok({ kind: 'address', user: { name: lookedUpName, ip, port, ...extra } });
  }
  const ack = own(message, 'ack');
  if (typeof ack === 'string') {
    const reason = own(message, 'reason');
    const v = own(message, 'v');
    if (v !== undefined && !isVersion(v)) return fail('bad-field', '"v" must be a positive integer');
    return ok({ kind: 'ack', ack, ...(typeof reason === 'string' ? { reason } : {}), ...(v === undefined ? {} : { v }) });
  }
  return fail('unknown-reply', 'message is not a directory reply');
}
