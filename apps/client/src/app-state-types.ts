/**
 * The shapes of the terminal client's state and of every {@link Action} that
 * changes it; `app-state.ts` holds the reducer over them.
 */
import type { CallProtocol, CallState, CallStats, DirectoryUser, EndReason } from './phone-contract.js';
import type { HistoryEntry, PhoneEvent } from './phone-events.js';
import type { TextValue } from './text-edit.js';

/** The fields of the connect form. */
export type FormField = 'host' | 'port' | 'name' | 'udpPort';

/** The connect form: what is typed, which field has focus, the reasons shown inline. */
export interface FormState {
  readonly values: Readonly<Record<FormField, string>>;
  readonly focus: FormField;
  /** Cursor of the focused field, in characters. */
  readonly cursor: number;
  readonly errors: Readonly<Partial<Record<FormField, string>>>;
  /** Why the last attempt failed, or why we came back to the form. */
  readonly failure?: string;
}

/** A line of the log pane. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  /** When it was logged, ms since the epoch. */
  readonly at: number;
}

/** Whether the user list can be shown. */
export type UsersStatus = 'loading' | 'ready' | 'unsupported';

/** How the last call ended, as the status line repeats it. */
export interface LastEnd {
  readonly peer: string;
  readonly reason: EndReason;
  /** The sentence written for this end of the call. */
  readonly message: string;
}

/** How the call in progress is protected, from its `connected` event. */
export interface CallSecurity {
  readonly protocol: CallProtocol;
  readonly secure: boolean;
  /** The short authentication string of a v2 call; null in a classic call. */
  readonly sas: string | null;
  /** The user pressed `v`: the SAS was compared with the peer's (this call only). */
  readonly verified: boolean;
}

/** The call as the status line shows it. */
export interface CallView {
  readonly state: CallState;
  readonly peer?: string;
  /** Someone is calling us and waits for accept/reject. */
  readonly incoming?: { readonly caller: string; readonly ip: string; readonly port: number };
  /** When our outgoing call started ringing out, ms since the epoch (the timer before it connects). */
  readonly since?: number;
  readonly stats?: CallStats;
  readonly lastEnd?: LastEnd;
  /** Set once the call connected; gone when it ends. */
  readonly security?: CallSecurity;
}

/** Microphone and speaker as the phone last reported them. */
export interface AudioView {
  readonly muted: boolean;
  /** Speaker volume in percent (0-200). */
  readonly volume: number;
}

/** Who we are once registered. */
export interface SessionInfo {
  readonly name: string;
  /** `host:port` of the directory. */
  readonly server: string;
  readonly udpPort: number;
  readonly listSupported: boolean;
}

/** What fills the main screen: the phone, or an overlay over it. */
export type View = 'main' | 'help' | 'history';

/** The user list's type-to-filter text; `editing` while keys go to it. */
export interface UserFilter extends TextValue {
  readonly editing: boolean;
}

/** The whole state of the terminal client. */
export interface AppState {
  readonly screen: 'connect' | 'connecting' | 'main';
  readonly form: FormState;
  /**
   * True while connecting with names given on the command line: a failure then
   * exits (code 2) instead of showing the form.
   */
  readonly exitOnConnectFailure: boolean;
  readonly session?: SessionInfo;
  readonly users: readonly DirectoryUser[];
  readonly usersStatus: UsersStatus;
  /** Index of the highlighted user among the users the filter lets through. */
  readonly selected: number;
  readonly filter?: UserFilter;
  readonly call: CallView;
  readonly audio: AudioView;
  /** The "call who?" input, when open. */
  readonly prompt?: TextValue & { readonly error?: string };
  /** Set when the directory connection dropped; we go back to the form once the call ends. */
  readonly directoryLost?: string;
  /** While the phone fails over to its next server: what was lost, for the banner. */
  readonly failover?: string;
  readonly log: readonly LogLine[];
  /** How many lines the log is scrolled back from its newest line. */
  readonly logScroll: number;
  /** Past calls, newest first. */
  readonly history: readonly HistoryEntry[];
  readonly view: View;
  /** First line shown of the help or history overlay. */
  readonly overlayScroll: number;
  /** `q` was pressed during a call: waiting for `y` to quit. */
  readonly confirmQuit: boolean;
}

/** Everything that can happen to the client: the phone's events and the user's edits. */
export type Action =
  | { readonly type: 'phone'; readonly event: PhoneEvent }
  | { readonly type: 'form-edit'; readonly field: FormField; readonly value: string; readonly cursor?: number }
  | { readonly type: 'form-focus'; readonly delta: 1 | -1 }
  | { readonly type: 'form-submit' }
  | { readonly type: 'users-unsupported' }
  | { readonly type: 'select'; readonly delta: number }
  | { readonly type: 'filter-open' }
  | { readonly type: 'filter-edit'; readonly value: string; readonly cursor?: number }
  /** Stops typing into the filter; `clear` also drops its text. */
  | { readonly type: 'filter-close'; readonly clear: boolean }
  | { readonly type: 'prompt-open' }
  | { readonly type: 'prompt-edit'; readonly value: string; readonly cursor?: number }
  | { readonly type: 'prompt-cancel' }
  | { readonly type: 'prompt-submit' }
  /** Shows an overlay, or the phone again (`main`). */
  | { readonly type: 'view'; readonly view: View }
  | { readonly type: 'overlay-scroll'; readonly delta: number }
  /** Scrolls the log: positive goes back in time. */
  | { readonly type: 'log-scroll'; readonly delta: number }
  /** `v`: the SAS of the call in progress was compared with the peer's. */
  | { readonly type: 'sas-verified' }
  | { readonly type: 'quit-ask' }
  | { readonly type: 'quit-cancel' };

/** What the command line pre-fills. */
export interface InitialInput {
  /** `host:port` from --server. */
  readonly server?: string;
  readonly name?: string;
  /** --udp-port, shown in the form's UDP port field. */
  readonly udpPort?: number;
}
