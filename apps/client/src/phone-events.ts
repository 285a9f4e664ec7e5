/**
 * The one vocabulary of what happens to the client's phone: the phone driver
 * (`phone-driver.ts`) emits these events, the TUI's reducer consumes them as they
 * are, and the headless runner writes them as JSON lines (`json-events.ts`). No layer
 * renames them on the way up.
 */
import type { CallDirection, CallProtocol, CallState, CallStats, DirectoryUser, EndReason } from './phone-contract.js';

export type { CallDirection } from './phone-contract.js';

/** One finished call (or call attempt), as the history keeps it. */
export interface HistoryEntry {
  /** The other party, by their registered spelling when the directory told us. */
  readonly peer: string;
  readonly direction: CallDirection;
  /** When the call was placed or started ringing, ISO 8601. */
  readonly startedAt: string;
  /** Time in conversation, ms (0 when it never connected). */
  readonly durationMs: number;
  readonly outcome: EndReason;
  /** An incoming call that ended before we answered it. */
  readonly missed: boolean;
  /** Whether the call was encrypted (v2); set only for calls that connected. */
  readonly secure?: boolean;
}

/** Everything the phone driver reports. */
export type PhoneEvent =
  /** Registered in the directory at `server` (the one in use of those given): calls can be placed and received. */
  | { readonly event: 'registered'; readonly name: string; readonly server: string; readonly udpPort: number; readonly listSupported: boolean }
  /**
   * The directory at `server` was lost and the phone fails over to its next server
   * (given several): a call in progress goes on, new calls wait for `reconnected`.
   * (With one server, the loss is the `error` `directory-lost`.)
   */
  | { readonly event: 'disconnected'; readonly server: string; readonly reason: string }
  /** Registered again, on the directory at `server`, after `disconnected`: calls can be placed again. */
  | { readonly event: 'reconnected'; readonly server: string }
  /** The users online (from WATCH pushes; never on a classic server). */
  | { readonly event: 'users'; readonly users: readonly DirectoryUser[] }
  /** Every change of call state (the TUI follows it; not written as a JSON line). */
  | { readonly event: 'state'; readonly state: CallState; readonly peer?: string }
  /** Someone is calling: accept or reject. */
  | { readonly event: 'incoming'; readonly caller: string; readonly ip: string; readonly port: number }
  /** Our call is ringing at the peer. */
  | { readonly event: 'calling'; readonly peer: string }
  /** A name to call is not online yet: the driver calls as soon as it is (once, not per retry). */
  | { readonly event: 'waiting'; readonly peer: string; readonly timeoutMs: number }
  /**
   * Audio flows both ways: in a v2 call, encrypted, with the short authentication
   * string both users read aloud (`sas`, null in a classic call).
   */
  | { readonly event: 'connected'; readonly peer: string; readonly protocol: CallProtocol; readonly secure: boolean; readonly sas: string | null }
  /**
   * A call or call attempt is over: reported exactly once per attempt. `message` is
   * the one sentence for the person at this end (e.g. "missed call from bob").
   */
  | {
      readonly event: 'ended';
      readonly peer: string;
      readonly reason: EndReason;
      readonly direction: CallDirection;
      readonly message: string;
      readonly durationMs: number;
      /** The call's final figures, when it connected. */
      readonly stats?: CallStats;
      readonly detail?: string;
    }
  /** Figures of the call in progress, about once a second. */
  | ({ readonly event: 'stats' } & CallStats)
  /** Microphone mute or speaker volume changed (volume in percent, 0-200). */
  | { readonly event: 'audio'; readonly muted: boolean; readonly volume: number }
  /** The call history, at start and after every call (newest first). */
  | { readonly event: 'history'; readonly entries: readonly HistoryEntry[] }
  /** Something worth a line in the log. */
  | { readonly event: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  /**
   * A failure: connecting failed (`code` as the phone gives it, e.g. 'udp-port-in-use'),
   * or `code: 'directory-lost'` once the directory connection dropped.
   */
  | { readonly event: 'error'; readonly code: string; readonly message: string };

/** The event names. */
export type PhoneEventName = PhoneEvent['event'];
