// Types of the call-quality rig (call-quality-rig.mjs).
import type { startRelay } from '../impairment/relay.mjs';

/** A relay profile (see tools/impairment/README.md). */
export type RelayProfile = Record<string, unknown>;

/** The profiles: `none`, `loss5-jitter30`, `burst10` (Gilbert, 10 % mean loss), `loss20`. */
export declare const PROFILES: Readonly<Record<'none' | 'loss5-jitter30' | 'burst10' | 'loss20', RelayProfile>>;

/** What one direction of a stream suffered. */
export interface DirectionSummary {
  frameMs: number;
  sent: number;
  /** Distinct frames that arrived. */
  received: number;
  lossPercent: number;
  /** Loss run length -> how many runs. */
  burstLengths: Record<string, number>;
  maxBurst: number;
  /** G.107 BurstR of the loss trace. */
  burstR: number;
  duplicates: number;
  /** Frames that arrived after a later one. */
  reordered: number;
  /** One-way delay of first copies, ms (null when none arrived). */
  delayMs: { p50: number | null; p99: number | null; max: number | null };
  /** E-model estimate with mouth-to-ear = frameMs + p99 delay and the measured loss. */
  eModel: { r: number; mos: number; id: number; ieEff: number } | null;
}

/** Both directions of one stream and the relay's counters. */
export interface StreamMeasurement {
  profile: string;
  frameMs: number;
  forward: DirectionSummary;
  backward: DirectionSummary;
  relay: ReturnType<Awaited<ReturnType<typeof startRelay>>['counters']>;
}

/** A loopback relay impairing both directions with `profile` (a name of {@link PROFILES} or a relay profile) towards `target`. */
export declare function startImpairedPath(options: { profile: string | RelayProfile; target: { host: string; port: number }; seed?: number }): ReturnType<typeof startRelay>;
/** Summarises one direction from its arrivals (frame index and delay). */
export declare function summarise(frameMs: number, sent: number, arrivals: readonly { index: number; delayMs: number }[]): DirectionSummary;
/** Streams `durationMs` of `frameMs` frames each way through the relay and measures both directions. */
export declare function measureStream(options: { profile: string | RelayProfile; frameMs: number; durationMs: number; seed?: number }): Promise<StreamMeasurement>;
/** Every profile at every frame size, in turn. */
export declare function runCallQualityRig(options?: {
  profiles?: string[];
  frameSizes?: number[];
  durationMs?: number;
  seed?: number;
}): Promise<{ durationMs: number; seed: number; profiles: Record<string, RelayProfile>; results: StreamMeasurement[] }>;
