/**
 * The slice of the `@voip/session` Phone contract that the client uses, declared
 * here so that screens, the reducer and the headless runner can be written and
 * tested against a fake phone. `phone-adapter.ts` checks at compile time that the
 * real Phone satisfies it.
 */
import type { DirectoryUser } from '@voip/protocol';

export type { DirectoryUser };

/** Where a call stands, from this phone's side. */
export type CallState = 'idle' | 'dialing' | 'calling' | 'ringing' | 'in-call' | 'ended';

/** Why a call ended or never started (stable codes, see the session package). */
export type EndReason =
  | 'hangup'
  | 'remote-hangup'
  | 'rejected'
  | 'cancelled'
  | 'ring-timeout'
  | 'peer-silent'
  | 'not-found'
  | 'self-call'
  | 'directory-lost'
  | 'error';

/** Figures of the current call. */
export interface CallStats {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly packetsDropped: number;
  /** dBFS of the last frame sent; -Infinity for silence. */
  readonly inputLevelDbfs: number;
  /** dBFS of the last frame played; -Infinity for silence. */
  readonly outputLevelDbfs: number;
  readonly durationMs: number;
}

/** The events a phone emits, with their payloads. */
export interface PhoneEvents {
  state: [{ readonly state: CallState; readonly peer?: string }];
  incoming: [{ readonly caller: string; readonly ip: string; readonly port: number }];
  calling: [{ readonly peer: string; readonly ip: string; readonly port: number }];
  connected: [{ readonly peer: string }];
  ended: [{ readonly peer: string; readonly reason: EndReason; readonly detail?: string }];
  users: [readonly DirectoryUser[]];
  stats: [CallStats];
  log: [{ readonly level: 'info' | 'warn' | 'error'; readonly message: string }];
  disconnected: [{ readonly reason: string }];
}

/** What a connected phone offers to the client. */
export interface PhoneApi {
  readonly name: string;
  readonly udpPort: number;
  readonly state: CallState;
  readonly listSupported: boolean;
  call(name: string): Promise<void>;
  accept(): void;
  reject(): void;
  hangup(): void;
  users(): Promise<DirectoryUser[]>;
  close(): Promise<void>;
  on<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): unknown;
  off<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): unknown;
}

/** What the client asks the adapter to connect with (all values already validated). */
export interface ConnectRequest {
  /** `host:port` of the directory. */
  readonly server: string;
  readonly name: string;
  readonly udpPort: number;
  /** Audio spec strings for @voip/media (`device`, `wav:PATH`, `tone:440`, `silence`, `null`). */
  readonly audioIn: string;
  readonly audioOut: string;
  readonly ringTimeoutMs: number;
  readonly silenceTimeoutMs: number;
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
 * How a rejected `call()` failed: the call attempt `ended` (CallFailedError), or
 * the phone `refused` to place it at all (busy, closed, ...).
 */
export type CallFailure =
  | { readonly kind: 'ended'; readonly reason: EndReason; readonly detail?: string }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };
