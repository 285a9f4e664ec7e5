/**
 * The phone driver's API: what it needs (its deps), what it offers (`PhoneDriver`),
 * its fixed numbers and the records it keeps of an attempt and a wait.
 * `phone-driver.ts` implements it.
 */
import type { Clock, TimerHandle } from '@voip/clock';
import type { CallHistory } from './history.js';
import type { CallDirection, CallFailure, ConnectPhone, ConnectRequest } from './phone-contract.js';
import type { PhoneEvent } from './phone-events.js';

/** Pause between two look-ups of a name a classic server does not know yet. */
export const LOOKUP_RETRY_MS = 500;

/** Highest speaker volume, percent. */
export const MAX_VOLUME = 200;

/** What a driver needs; everything with I/O is injected. */
export interface PhoneDriverDeps {
  readonly connect: ConnectPhone;
  /** Says how a rejected `phone.call()` failed. */
  readonly callFailure: (error: unknown) => CallFailure;
  /** Receives every event, in order. */
  readonly onEvent: (event: PhoneEvent) => void;
  /** Timers of the wait for a name to come online; default the real clock. */
  readonly clock?: Clock;
  /** Where finished calls are kept; none with --no-history. */
  readonly history?: CallHistory;
  /** Wall-clock time of history entries; default `new Date()`. */
  readonly wallTime?: () => Date;
}

/** Options of {@link PhoneDriver.call}. */
export interface CallOptions {
  /** Wait this long for a name that is not online yet (one `waiting` event), then end not-found. */
  readonly waitOnlineMs?: number;
}

/** One phone, from connect to close. */
export interface PhoneDriver {
  /**
   * Connects and registers: emits `registered` (then `history`), or `error` with the
   * connect failure's code and sentence. Resolves whether it registered; rejects
   * only on a bug.
   */
  connect(request: ConnectRequest): Promise<boolean>;
  /**
   * Calls a user. Resolves once the attempt is settled: true when the phone placed it
   * (its outcome is the one `ended` event), false when it refused (one `log` warn).
   */
  call(name: string, options?: CallOptions): Promise<boolean>;
  accept(): void;
  reject(): void;
  /** Ends the call, stops ringing out, or stops waiting for a name. */
  hangup(): void;
  setMuted(muted: boolean): void;
  toggleMuted(): void;
  /** Sets the speaker volume, an integer percent 0-200 (else a `log` warn). */
  setVolume(percent: number): void;
  /** Changes the volume by `delta` percent points, kept within 0-200. */
  changeVolume(delta: number): void;
  /** Whether a call is being placed, waited for, rings or is in progress. */
  readonly busy: boolean;
  /**
   * Hangs up, unregisters and closes the phone; the `ended` of a call hung up on
   * the way out is still reported, and the history saved. Idempotent.
   */
  close(): Promise<void>;
}

/** The call attempt the driver follows: who, which way, since when. */
export interface Attempt {
  /** The other party, as named when the attempt began. */
  readonly peer: string;
  readonly direction: CallDirection;
  /** When the call was placed or started ringing. */
  readonly startedAt: Date;
  /** Whether the call was encrypted, once it connected. */
  secure?: boolean;
}

/** A wait for a name to come online before calling it. */
export interface Wait {
  /** The name waited for. */
  readonly name: string;
  /** When the wait began, on the driver's clock. */
  readonly since: number;
  /** A classic server has no presence: the name is looked up again until the window ends. */
  readonly classic: boolean;
  /** How long to wait, ms. */
  readonly windowMs: number;
  /** The one `waiting` event was emitted. */
  announced: boolean;
  /** A look-up or call for the name is under way. */
  inFlight: boolean;
  /** The timer of the wait's end or of the next look-up. */
  timer?: TimerHandle;
  /** Settles the driver's `call()`: whether a call was placed. */
  readonly settle: (placed: boolean) => void;
}
