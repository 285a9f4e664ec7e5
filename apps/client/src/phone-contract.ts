/**
 * What the client needs from `@voip/session`: the phone it drives (`PhoneApi`, its
 * events) and the connect and failure shapes that `phone-adapter.ts` (the one file
 * that creates a real Phone) fills in, so that the phone driver, the screens and the
 * headless runner can be tested against a fake phone.
 */
import type { DirectoryUser } from '@voip/protocol';
import type { CallState, EndReason, PhoneEvents, SecureMode } from '@voip/session';

export type { DirectoryUser } from '@voip/protocol';
export type { CallState, CallStats, CallProtocol, CallDirection, EndReason, SecureMode, PhoneEvents } from '@voip/session';

/**
 * The connected phone the client drives: what it uses of @voip/session's `Phone`
 * (the adapter's assignment checks that `Phone` has it all).
 */
export interface PhoneApi {
  readonly name: string;
  readonly udpPort: number;
  readonly state: CallState;
  /** Whether the server supports LIST and WATCH (a classic server does not). */
  readonly listSupported: boolean;
  /** `host:port` of the directory server in use. */
  readonly server: string;
  /** The users online as the directory last pushed them; undefined on a classic server. */
  readonly onlineUsers: readonly DirectoryUser[] | undefined;
  /** Whether the microphone is muted. */
  readonly muted: boolean;
  /** Speaker volume in percent, 0-200. */
  readonly volume: number;
  /** Calls a user by name; rejects with CallFailedError (after `ended`) or a PhoneError refusal. */
  call(name: string): Promise<void>;
  accept(): void;
  reject(): void;
  hangup(): void;
  setMuted(muted: boolean): void;
  /** Sets the speaker volume, percent 0-200. */
  setVolume(percent: number): void;
  /** Hangs up, unregisters (DISCONNECT), closes the sockets and audio. */
  close(): Promise<void>;
  on<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this;
  off<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this;
}

/** What the client asks the adapter to connect with (all values already validated). */
export interface ConnectRequest {
  /** `host:port` of the directory, or several servers of one directory, `host:port,host:port` (the phone fails over in turn). */
  readonly server: string;
  readonly name: string;
  readonly udpPort: number;
  /** Audio spec strings for @voip/media (`device`, `wav:PATH`, `tone:440`, `silence`, `null`). */
  readonly audioIn: string;
  readonly audioOut: string;
  readonly ringTimeoutMs: number;
  readonly silenceTimeoutMs: number;
  /** Play a ring tone on the audio output while a call rings (for device output). */
  readonly ringtone?: boolean;
  /** `require` with --require-secure: refuse to place or take a classic call. */
  readonly secure: SecureMode;
}

/** Why connecting failed: a stable code and a sentence for people. */
export interface ConnectFailure {
  readonly ok: false;
  /** e.g. 'udp-port-in-use', 'server-unreachable', 'name-refused', 'name-invalid'. */
  readonly code: string;
  /** Ready to show: says what went wrong and, when the user can act, what to do. */
  readonly detail: string;
}

/** Connects a phone, or says why it could not. Never rejects for expected failures. */
export type ConnectPhone = (request: ConnectRequest) => Promise<{ readonly ok: true; readonly value: PhoneApi } | ConnectFailure>;

/**
 * How a rejected `call()` failed: the call attempt `ended` (CallFailedError, already
 * reported by the phone's `ended` event), or the phone `refused` to place it at all
 * (busy, closed, ...).
 */
export type CallFailure =
  { readonly kind: 'ended'; readonly reason: EndReason; readonly detail?: string } | { readonly kind: 'refused'; readonly code: string; readonly message: string };
