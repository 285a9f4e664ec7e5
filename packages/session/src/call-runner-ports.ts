/** What the call runner is given: the directory and media ports it carries effects out through, and what it reports. */
import type { DirectoryUser } from '@voip/protocol';
import type { Clock } from '@voip/clock';
import type { CallMachineConfig, MachineNotice, PeerAddress } from './call-machine-types.js';
import type { CallStats } from './phone-types.js';
import type { Transport } from './transport/transport.js';
import type { RandomBytes } from '@voip/protocol/v2';
import type { V2Config, V2MediaParams } from './v2/v2-types.js';

/** What the runner needs of the directory: finding a user's address. */
export interface DirectoryPort {
  /** The user's address, or null when nobody by that name is online. Rejects with an error carrying `code`. */
  lookup(name: string): Promise<DirectoryUser | null>;
}

/** Where the runner sends the media effects (`CallAudio` is the one used). */
export interface MediaEffectsPort {
  /** `startMedia`: `fail` ends the call with 'error'; `v2` for a v2 call. */
  start(peer: PeerAddress, send: (datagram: Uint8Array) => void, fail: (detail: string) => void, v2?: V2MediaParams): void;
  /** `count`: a datagram the v2 machine rejected or took for a replay. */
  count(kind: 'rejected' | 'replayed'): void;
  /** `deliverAudio` and `deliverMedia`; true when the media took the datagram as the call's audio (v2: authentic and new). */
  deliver(pcm: Uint8Array): boolean;
  /** `drop`: a datagram the machine discarded. */
  drop(): void;
  /** `stopMedia`. */
  stop(): void;
  /** `reportStats`: the call's figures, undefined when no call is connected. */
  stats(): CallStats | undefined;
  /** `startRinging`. */
  startRinging(): void;
  /** `stopRinging`. */
  stopRinging(): void;
}

/** What a runner reports: the machine's notices, plus the call's figures on each `reportStats`. */
export type RunnerNotice = MachineNotice | { readonly name: 'stats'; readonly stats: CallStats };

/** Options of {@link CallRunner}. */
export interface CallRunnerOptions {
  readonly name: string;
  readonly transport: Transport;
  readonly directory: DirectoryPort;
  readonly media: MediaEffectsPort;
  readonly clock: Clock;
  /** Timing overrides (ring and silence timeouts, repeat spacing, stats interval...). */
  readonly timing?: Partial<Omit<CallMachineConfig, 'selfName'>>;
  readonly onNotice?: (notice: RunnerNotice) => void;
  /** Secure calls (PhoneOptions.secure); default 'prefer'. */
  readonly secure?: 'prefer' | 'require' | 'off';
  /** v2 signalling timing overrides (retransmission, transaction timeout, linger). */
  readonly v2Timing?: Partial<Pick<V2Config, 'retransmitFirstMs' | 'retransmitMaxMs' | 'transactionTimeoutMs' | 'lingerMs'>>;
  /** Randomness for v2 call ids and keys; default the system's. */
  readonly random?: RandomBytes;
}
