/** The call machine's data: its config, state, events, effects and notices, all plain values. */
import type { ClassicSignal, DirectoryUser } from '@voip/protocol';
import type { CallDirection, CallState, EndReason } from './phone-types.js';

/** A UDP endpoint. */
export interface PeerAddress {
  readonly address: string;
  readonly port: number;
}

/** The timers the call machine asks for. One of each kind runs at a time. */
export type TimerId = 'start-repeat' | 'ring' | 'silence' | 'accept-repeat' | 'close-repeat' | 'linger' | 'stats';

/** Tunables of the call machine; all durations in milliseconds. */
export interface CallMachineConfig {
  /** Our registered name (a START naming it is never a call to take). */
  readonly selfName: string;
  /** How long a call may ring before it is given up; default 30 000. */
  readonly ringTimeoutMs: number;
  /** How long without audio from the peer before the call is ended; default 5 000. */
  readonly silenceTimeoutMs: number;
  /** Spacing of START, ACCEPT and CLOSE repeats (PROTOCOL.md section 2: 100-200 ms); default 150. */
  readonly repeatIntervalMs: number;
  /** How many times ACCEPT and CLOSE are sent in all (about a second of repeats); default 7. */
  readonly repeatCount: number;
  /**
   * How long after a call ends datagrams from that peer are taken for late repeats of
   * the old call: a START is dropped (or answered REJECT again if we rejected it)
   * rather than rung, and a CLOSE during a new call with that peer is ignored rather
   * than ending it. Default `repeatCount x repeatIntervalMs + 500` (1 550): the whole
   * span of the peer's CLOSE repeats, plus a margin for network delay.
   */
  readonly lingerMs: number;
  /** Interval of stats reports (`reportStats` effects) while in a call; default 1 000. */
  readonly statsIntervalMs: number;
  /** `secure: 'require'`: a START the directory vouches for is answered REJECT and reported as ended with 'not-secure'; default false. */
  readonly refuseClassic?: boolean;
}

/** The other party of a call. */
export interface Peer {
  readonly name: string;
  /** Where signals and audio are sent: the directory's address for the name. */
  readonly address: PeerAddress;
  /** Another address the peer may send from (a START's source port), if it differs. */
  readonly alt?: PeerAddress;
}

/** What the machine is doing about a call. */
export type CallPhase =
  | { readonly kind: 'idle' }
  | { readonly kind: 'dialing'; readonly peer: string; readonly attempt: number }
  | { readonly kind: 'calling'; readonly peer: Peer; readonly attempt: number }
  | { readonly kind: 'ringing'; readonly peer: Peer }
  | { readonly kind: 'in-call'; readonly peer: Peer; readonly role: 'caller' | 'callee' };

/** A signal being repeated on a timer. */
export interface Repeat {
  readonly signal: 'ACCEPT' | 'CLOSE';
  readonly to: readonly PeerAddress[];
  /** Sends still to come. */
  readonly remaining: number;
}

/**
 * A recently ended call, so that its late datagrams neither start a new call (a
 * repeated START) nor end one (a repeated CLOSE). Cleared by the `linger` timer.
 */
export interface Lingering {
  readonly from: readonly PeerAddress[];
  /** True when we rejected it: a repeated START then means our REJECT was lost. */
  readonly rejected: boolean;
}

/** The whole state of the call machine: plain data, never mutated. */
export interface MachineState {
  readonly phase: CallPhase;
  /** START datagrams waiting for the directory to vouch for their caller. */
  readonly verifying: readonly { readonly caller: string; readonly from: PeerAddress }[];
  readonly accepting?: Repeat;
  readonly closing?: Repeat;
  readonly lingering?: Lingering;
  /**
   * Sources of STARTs the directory did not vouch for: their repeats are dropped
   * without a new look-up or log line until the `linger` timer clears the list.
   */
  readonly unverified?: readonly PeerAddress[];
  /** Counts dial attempts, so that a late look-up result of an abandoned attempt is ignored. */
  readonly attempts: number;
  /** The directory connection was lost: no new calls can be placed. */
  readonly directoryLost: boolean;
  /** The phone is closing: every START is answered REJECT, no call can be placed. */
  readonly shuttingDown?: true;
  /** A v2 call is in progress: every START is answered REJECT, no call can be placed. */
  readonly elsewhere?: true;
}

/** What can happen to the machine. */
export type MachineEvent =
  | { readonly type: 'user-call'; readonly name: string }
  | { readonly type: 'user-accept' }
  | { readonly type: 'user-reject' }
  | { readonly type: 'user-hangup' }
  | { readonly type: 'signal'; readonly from: PeerAddress; readonly signal: ClassicSignal }
  | { readonly type: 'audio'; readonly from: PeerAddress; readonly pcm: Uint8Array }
  | { readonly type: 'invalid-datagram'; readonly from: PeerAddress; readonly detail: string }
  | {
      readonly type: 'lookup-result';
      readonly attempt: number;
      readonly name: string;
      /** The user, null when nobody by that name is online, or the failure. */
      readonly result: { readonly ok: true; readonly user: DirectoryUser | null } | { readonly ok: false; readonly code: string; readonly detail: string };
    }
  | {
      readonly type: 'caller-lookup-result';
      readonly caller: string;
      readonly from: PeerAddress;
      readonly result: { readonly ok: true; readonly user: DirectoryUser | null } | { readonly ok: false; readonly code: string; readonly detail: string };
    }
  | { readonly type: 'timer'; readonly id: TimerId }
  | { readonly type: 'directory-lost' }
  /** The directory is back (the phone failed over): new calls can be placed again. */
  | { readonly type: 'directory-restored' }
  /** The phone is closing: hang up, then refuse every new call in either direction. */
  | { readonly type: 'shutdown' }
  /** Whether a v2 call is in progress (then this machine is busy too). */
  | { readonly type: 'elsewhere'; readonly busy: boolean }
  /** The dial attempt's look-up found a v2 peer (or a classic one a secure phone refuses): the v2 machine takes it over, this one goes back to idle silently. */
  | { readonly type: 'handed-over'; readonly attempt: number }
  /** Something local broke during a call (the audio device, the socket). */
  | { readonly type: 'local-failure'; readonly detail: string };

export type { CallDirection } from './phone-types.js';

/** What the machine tells the outside world, turned into phone events by the runner. */
export type MachineNotice =
  | { readonly name: 'state'; readonly state: CallState; readonly peer?: string }
  | { readonly name: 'incoming'; readonly caller: string; readonly ip: string; readonly port: number }
  | { readonly name: 'calling'; readonly peer: string; readonly ip: string; readonly port: number }
  | {
      readonly name: 'connected';
      readonly peer: string;
      /** Absent on the classic machine's notice, which is always a classic call. */
      readonly protocol?: 'v2' | 'classic';
      /** True for a v2 call (encrypted and authenticated). */
      readonly secure?: boolean;
      /** The short authentication string of a v2 call. */
      readonly sas?: string | null;
    }
  | {
      readonly name: 'ended';
      readonly peer: string;
      readonly reason: EndReason;
      /** Who placed the call: we ('outgoing') or the peer ('incoming'). */
      readonly direction: CallDirection;
      /** Only what the reason does not already say. */
      readonly detail?: string;
    }
  | { readonly name: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

/** What the machine asks the runner to do: plain data. */
export type Effect =
  | { readonly type: 'send'; readonly to: PeerAddress; readonly signal: ClassicSignal }
  | { readonly type: 'startTimer'; readonly id: TimerId; readonly ms: number }
  | { readonly type: 'cancelTimer'; readonly id: TimerId }
  | { readonly type: 'startMedia'; readonly peer: PeerAddress }
  | { readonly type: 'deliverAudio'; readonly pcm: Uint8Array }
  | { readonly type: 'stopMedia' }
  /** Report the current call's figures (a `stats` timer fired while in a call). */
  | { readonly type: 'reportStats' }
  /** An incoming call starts ringing: play the ring tone, if any. */
  | { readonly type: 'startRinging' }
  /** The incoming call stopped ringing (accepted, rejected, given up): stop the ring tone before any media opens. */
  | { readonly type: 'stopRinging' }
  | { readonly type: 'lookup'; readonly name: string; readonly attempt: number }
  | { readonly type: 'lookupCaller'; readonly caller: string; readonly from: PeerAddress }
  /** A datagram was discarded (wrong sender, not expected now, malformed). */
  | { readonly type: 'drop'; readonly reason: string }
  /** A user command does not fit the current state; the runner reports it to the caller. */
  | { readonly type: 'refuse'; readonly code: 'busy' | 'invalid-state'; readonly detail: string }
  | { readonly type: 'emit'; readonly notice: MachineNotice };

/** The outcome of one {@link transition}. */
export interface Transition {
  readonly state: MachineState;
  readonly effects: readonly Effect[];
}
