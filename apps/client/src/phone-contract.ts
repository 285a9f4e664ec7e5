/**
 * What the client needs from `@voip/session`: the Phone contract's types, and the
 * connect and failure shapes that `phone-adapter.ts` (the one file that creates a real
 * Phone) fills in, so that screens, the reducer and the headless runner can be tested
 * against a fake phone.
 */
import type { EndReason, PhoneApi } from '@voip/session';

export type { DirectoryUser } from '@voip/protocol';
export type { CallState, EndReason, CallStats, PhoneEvents, PhoneApi } from '@voip/session';

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
