// Types of call-playout.mjs.

/** What the callee's speaker played of the caller's stream. */
export interface PlayoutRow {
  protocol: 'classic' | 'v2';
  profile: string;
  calls: number;
  frameMs: number;
  framesPlayed: number;
  playedPercent: number;
  concealedPercent: number;
  silentPercent: number;
  silentFrames: number;
  lossPercent: number;
  burstR: number;
  delayBeyondPacketizationMs: { p50: number | null; p99: number | null; max: number | null };
  eModel: { codec: string; bpl: number; r: number; mos: number } | null;
}

export declare function measurePlayout(options: {
  directoryPort: number;
  protocol: 'classic' | 'v2';
  profile: string;
  calls?: number;
  warmMs?: number;
  measureMs?: number;
  idBase?: number;
}): Promise<PlayoutRow>;
