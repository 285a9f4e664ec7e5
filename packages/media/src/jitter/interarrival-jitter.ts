/** The RFC 3550 interarrival jitter estimate (section 6.4.1, appendix A.8), in milliseconds, as a pure fold. */

import { timestampDelta } from './sequence.js';

/** The estimator's state: the previous packet's arrival and timestamp, and the estimate. */
export interface JitterEstimate {
  /** J, the smoothed mean deviation of transit-time differences, ms. */
  readonly jitterMs: number;
  /** Arrival of the previous packet (in order of arrival), ms; undefined before the first. */
  readonly lastArrivalMs: number | undefined;
  /** RTP timestamp of the previous packet. */
  readonly lastTimestamp: number;
}

/** The estimate before any packet. */
export const initialJitterEstimate: JitterEstimate = { jitterMs: 0, lastArrivalMs: undefined, lastTimestamp: 0 };

/**
 * Folds one packet into the estimate: D = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16,
 * packets taken in order of arrival (not of sequence), timestamps converted to ms at
 * `sampleRate`. `restart` (the stream was resynchronised) takes the packet as a new
 * reference without a sample, since a difference across a restart measures nothing.
 */
export function updateJitter(estimate: JitterEstimate, arrivalMs: number, timestamp: number, sampleRate: number, restart = false): JitterEstimate {
  if (estimate.lastArrivalMs === undefined || restart) {
    return { jitterMs: estimate.jitterMs, lastArrivalMs: arrivalMs, lastTimestamp: timestamp };
  }
  const sentMs = (timestampDelta(estimate.lastTimestamp, timestamp) * 1000) / sampleRate;
  const d = arrivalMs - estimate.lastArrivalMs - sentMs;
  return {
    jitterMs: estimate.jitterMs + (Math.abs(d) - estimate.jitterMs) / 16,
    lastArrivalMs: arrivalMs,
    lastTimestamp: timestamp,
  };
}
