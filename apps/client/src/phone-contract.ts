/**
 * What the client needs from `@voip/session`: the phone it drives (`PhoneApi`, its
 * events) and the connect and failure shapes that `phone-adapter.ts` (the one file
 * that creates a real Phone) fills in, so that the phone driver, the screens and the
 * headless runner can be tested against a fake phone.
 */
import type { DirectoryUser } from '@voip/protocol';
import type { CallState, CallStats as SessionCallStats, EndReason as SessionEndReason } from '@voip/session';

export type { DirectoryUser } from '@voip/protocol';
export type { CallState } from '@voip/session';

/**
 * Why a call ended: the session's reasons, and `not-secure` (a classic call refused
 * because the phone requires encryption), which the v2 session adds; named here
 * until `@voip/session` exports it.
 */
export type EndReason = SessionEndReason | 'not-secure';

/** The call figures that v2 calls add (the session reports them for classic calls too). */
export interface SecureCallStats {
  /** Datagrams that failed authentication, were malformed, came from a third party, or were classic signal words during a v2 call. */
  readonly packetsRejected: number;
  /** Authentic datagrams already received or older than the replay window (a replay or a network duplicate). */
  readonly packetsReplayed: number;
  /** Authentic, new datagrams that came after their playout time. */
  readonly packetsLate: number;
  /** Frames played by concealment. */
  readonly packetsConcealed: number;
  /** Interarrival jitter (RFC 3550 estimate), ms. */
  readonly jitterMs: number;
  /** The jitter buffer's playout delay, ms. */
  readonly playoutDelayMs: number;
}

/**
 * Figures of a call. The {@link SecureCallStats} fields are optional reads until
 * `@voip/session` reports them; a phone that does not leaves them out.
 */
export type CallStats = Omit<SessionCallStats, keyof SecureCallStats> & Partial<SecureCallStats>;

/** Which form a call took: v2 (encrypted, with a SAS) or classic (as the seed's). */
export type CallProtocol = 'v2' | 'classic';

/** How the phone treats encryption: `require` refuses classic calls both ways; `prefer` uses v2 with v2 peers. */
export type SecureMode = 'require' | 'prefer' | 'off';

/** Which way a call went, seen from this client. */
export type CallDirection = 'outgoing' | 'incoming';

/** The events of the phone the client drives, with their payloads. */
export interface PhoneEvents {
  /** Every change of call state. */
  state: [{ readonly state: CallState; readonly peer?: string }];
  /** Someone is calling: answer with accept() or reject(). */
  incoming: [{ readonly caller: string; readonly ip: string; readonly port: number }];
  /** We placed a call and are waiting for an answer. */
  calling: [{ readonly peer: string; readonly ip: string; readonly port: number }];
  /**
   * Audio flows both ways. The call's form, whether it is encrypted and its short
   * authentication string are optional reads until `@voip/session` reports them (a
   * phone that leaves them out makes classic calls only).
   */
  connected: [{ readonly peer: string; readonly protocol?: CallProtocol; readonly secure?: boolean; readonly sas?: string | null }];
  /** A call or call attempt is over (once per attempt). */
  ended: [
    {
      readonly peer: string;
      readonly reason: EndReason;
      readonly detail?: string;
      readonly direction: CallDirection;
      /** Time in conversation, ms (0 when it never connected). */
      readonly durationMs: number;
      /** The call's final figures, when it connected. */
      readonly stats?: CallStats;
    },
  ];
  /** The users online (WATCH presence; the first push comes after registering). */
  users: [readonly DirectoryUser[]];
  /** Call figures, about once a second during a call. */
  stats: [CallStats];
  /** Human-readable log lines. */
  log: [{ readonly level: 'info' | 'warn' | 'error'; readonly message: string }];
  /** The directory connection closed; the phone can no longer place calls. */
  disconnected: [{ readonly reason: string }];
}

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
  /** `host:port` of the directory. */
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
