/** The v2 call machine's data: its config, the call and transaction records, events and effects, all plain values. */
import type { DirectoryUser } from '@voip/protocol';
import type { CallKeys, ChosenFormat, DirectionKey, KeyPair, MediaFormat, RandomBytes, V2SignalType } from '@voip/protocol/v2';
import type { MachineNotice, PeerAddress } from '../call-machine-types.js';

/** Tunables of the v2 call machine; durations in milliseconds. */
export interface V2Config {
  /** Our registered name. */
  readonly selfName: string;
  /** The formats we offer and accept, most preferred first. */
  readonly caps: readonly MediaFormat[];
  /** How long a call may ring before it is given up; default 30 000. */
  readonly ringTimeoutMs: number;
  /** How long without media from the peer before the call is ended; default 5 000. */
  readonly silenceTimeoutMs: number;
  /** Interval of `reportStats` while in a call; default 1 000. */
  readonly statsIntervalMs: number;
  /** First retransmission interval of a transaction (SIP timer A, T1); default 100. */
  readonly retransmitFirstMs: number;
  /** Cap of the doubling interval (SIP T2 is 4 s; we use 1.6 s); default 1 600. */
  readonly retransmitMaxMs: number;
  /** A transaction not acknowledged after this long has failed (SIP timer B is 64 T1); default 8 000. */
  readonly transactionTimeoutMs: number;
  /** How long an ended call is kept to re-acknowledge its late repeats; default transaction timeout + 2 000. */
  readonly lingerMs: number;
  /** Randomness for call ids, key pairs and media starts (seeded in tests). */
  readonly random: RandomBytes;
}

/** Where a v2 call stands. Caller: offering, keyed, in-call. Callee: verifying, awaiting-key, ringing, in-call. Both: ended (kept to re-acknowledge). */
export type V2Stage = 'offering' | 'keyed' | 'verifying' | 'awaiting-key' | 'ringing' | 'in-call' | 'ended';

/** One v2 call, current or recently ended. */
export interface V2Call {
  readonly callId: string;
  readonly role: 'caller' | 'callee';
  readonly stage: V2Stage;
  /** The other side: its name and the one address it sends from and we send to. */
  readonly peer: { readonly name: string; readonly address: PeerAddress };
  /** Names and caps exactly as in the OFFER (the transcript hashes them). */
  readonly offer: { readonly caller: string; readonly callee: string; readonly caps: readonly MediaFormat[]; readonly commitment: Uint8Array };
  /** Our ephemeral key pair (absent for a call answered BUSY). */
  readonly own?: KeyPair;
  /** Where our RTP stream starts. */
  readonly media?: { readonly ssrc: number; readonly firstSequence: number; readonly firstTimestamp: number };
  readonly peerSsrc?: number;
  readonly keys?: CallKeys;
  readonly format?: ChosenFormat;
  /** Our next message id. */
  readonly nextId: number;
  /** The peer's message ids already acted on (duplicates are only acknowledged again). */
  readonly seen: readonly number[];
  /** Ids of our messages sent in the clear whose ACK comes in the clear. */
  readonly clearIds: readonly number[];
  /** Set when we became the callee by glare: our user placed the call, so we answer at once. */
  readonly autoAnswer?: true;
}

/** A message of ours being retransmitted until acknowledged or timed out. */
export interface V2Transaction {
  readonly callId: string;
  readonly messageId: number;
  readonly type: V2SignalType;
  readonly to: PeerAddress;
  /** The datagram, sealed once: every retransmission sends these bytes. */
  readonly bytes: Uint8Array;
  /** The running retransmission timer's duration. */
  readonly armedMs: number;
  /** The next interval before the cap applies. */
  readonly intervalMs: number;
  /** Time since the first send. */
  readonly elapsedMs: number;
}

/** The whole state of the v2 machine. */
export interface V2State {
  /** The call being set up or in progress, at most one. */
  readonly call?: V2Call;
  /** Ended calls (and calls answered BUSY), kept for `lingerMs`. */
  readonly recent: readonly V2Call[];
  readonly transactions: readonly V2Transaction[];
  /** A classic call is in progress: every OFFER is answered BUSY. */
  readonly elsewhere: boolean;
  /** The phone is closing: every OFFER is answered BUSY. */
  readonly shuttingDown?: true;
}

/** A look-up result, as the runner reports it. */
export type LookupOutcome = { readonly ok: true; readonly user: DirectoryUser | null } | { readonly ok: false; readonly code: string; readonly detail: string };

/** What can happen to the v2 machine. */
export type V2Event =
  /** Call `name` at `address` (the directory said it is v2). */
  | { readonly type: 'dial'; readonly name: string; readonly address: PeerAddress }
  /** A call to `name` that must be secure found a classic peer. */
  | { readonly type: 'dial-not-secure'; readonly name: string }
  | { readonly type: 'user-accept' }
  | { readonly type: 'user-reject' }
  | { readonly type: 'user-hangup' }
  | { readonly type: 'signal'; readonly from: PeerAddress; readonly bytes: Uint8Array }
  | { readonly type: 'media'; readonly from: PeerAddress; readonly bytes: Uint8Array }
  /** The media opened a datagram of call `callId` as authentic and new: the peer is there. */
  | { readonly type: 'media-authentic'; readonly callId: string }
  /** A classic datagram (other than START) arrived during a v2 call. */
  | { readonly type: 'stray'; readonly from: PeerAddress; readonly detail: string }
  | { readonly type: 'caller-lookup-result'; readonly callId: string; readonly from: PeerAddress; readonly result: LookupOutcome }
  | { readonly type: 'timer'; readonly id: string }
  | { readonly type: 'elsewhere'; readonly busy: boolean }
  | { readonly type: 'shutdown' }
  | { readonly type: 'local-failure'; readonly detail: string };

/** The media of a v2 call, as the media factory gets it (V2-CONTRACT.md). */
export interface V2MediaParams {
  readonly frameSamples: 160 | 512;
  readonly payloadType: number;
  readonly sendKey: DirectionKey;
  readonly receiveKey: DirectionKey;
  readonly ssrc: number;
  readonly firstSequence: number;
  readonly firstTimestamp: number;
  readonly peerSsrc: number;
}

/** What the v2 machine asks the runner to do. */
export type V2Effect =
  | { readonly type: 'send'; readonly to: PeerAddress; readonly bytes: Uint8Array }
  | { readonly type: 'startTimer'; readonly id: string; readonly ms: number }
  | { readonly type: 'cancelTimer'; readonly id: string }
  | { readonly type: 'startMedia'; readonly peer: PeerAddress; readonly v2: V2MediaParams }
  /** Hands the datagram to the call's media; the runner answers `media-authentic` when the media opened it. */
  | { readonly type: 'deliverMedia'; readonly callId: string; readonly bytes: Uint8Array }
  | { readonly type: 'stopMedia' }
  | { readonly type: 'reportStats' }
  | { readonly type: 'startRinging' }
  | { readonly type: 'stopRinging' }
  | { readonly type: 'lookupCaller'; readonly callId: string; readonly caller: string; readonly from: PeerAddress }
  /** A datagram was dropped: `rejected` (unauthentic, malformed, third party, unexpected) or `replayed` (a repeat). */
  | { readonly type: 'count'; readonly kind: 'rejected' | 'replayed'; readonly reason: string }
  | { readonly type: 'refuse'; readonly code: 'invalid-state'; readonly detail: string }
  | { readonly type: 'emit'; readonly notice: MachineNotice };

/** The outcome of one v2 transition. */
export interface V2Transition {
  readonly state: V2State;
  readonly effects: readonly V2Effect[];
}
