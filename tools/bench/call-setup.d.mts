// Types of call-setup.mjs.

/** Set-up figures of `calls` calls of one protocol on one profile. */
export interface SetupRow {
  protocol: 'classic' | 'v2';
  profile: string;
  calls: number;
  connected: number;
  setupP50Ms: number | null;
  setupP99Ms: number | null;
  setupMaxMs: number | null;
  /** Reason -> calls that failed with it. */
  failures: Record<string, number>;
}

export declare function measureSetup(options: {
  directoryPort: number;
  protocol: 'classic' | 'v2';
  profile: string;
  calls?: number;
  concurrency?: number;
  limitMs?: number;
  idBase?: number;
}): Promise<SetupRow>;
