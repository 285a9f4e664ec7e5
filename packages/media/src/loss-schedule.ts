/**
 * Loss estimation for classic media, which carries no sequence numbers: a pure state
 * machine fed with arrival times only (no timers, no I/O; the caller arms the timer).
 *
 * The stream is anchored at `t0`, the earliest `arrival - position * period` seen,
 * where `position` counts the stream positions accounted for so far (frames received,
 * whatever became of them, plus frames counted lost). Arrivals are thus measured
 * against the earliest-ever arrival, never against the previous one: a sender late by
 * less than a period, or a jittery path, can only make a frame look late, never lost.
 * A frame earlier than the anchor predicts moves the anchor back.
 *
 * When a frame arrives at `t`, `floor((t - t0) / period) + 1` frames are due. If the
 * frames accounted for (this one included) fall short, the shortfall (the deficit) is
 * frames missing. A deficit alone cannot tell a loss from a receiver-side stall: the
 * first of three frames queued behind a stall shows a deficit of two, exactly as a
 * frame following two lost ones does. So a frame behind schedule is held for
 * `confirmMs`: frames arriving meanwhile join the hold and shrink the deficit; once it
 * reaches zero everything is released and nothing is counted lost (the frames were
 * queued, not lost). When the hold times out, the smallest deficit seen during it is
 * counted lost, and that many frames of silence belong before the held frames.
 *
 * Trade-off of `confirmMs`: a stall that releases its frames more than `confirmMs`
 * apart is taken for a loss, and frames after a real loss reach the sink up to
 * `confirmMs` later (the sink then has one missing frame to catch up on anyway). Half
 * a period (the default of the call media) tells back-to-back queued frames (apart by
 * microseconds) from the next regular frame (a period later), and leaves the sink
 * fed. `confirmMs = 0` decides at once, and conceals a stall.
 *
 * Limits inherent in arrival times: silence goes before the first held frame, even
 * if the gap fell between two frames of the same burst; frames lost before the first
 * one received cannot be seen; while the anchor is still later than the true schedule
 * (the first frames all came late) a loss can be seen some frames late.
 */

/** Where the stream stands. */
export interface LossSchedule {
  /** `t0`: the earliest `arrival - position * period` seen; undefined before the first frame. */
  readonly anchor: number | undefined;
  /** Stream positions accounted for: frames received (held ones included) plus frames counted lost. */
  readonly position: number;
  /** Frames behind schedule waiting for the deficit to be confirmed, if any. */
  readonly hold: LossHold | undefined;
}

/** Frames held while a deficit waits to be confirmed or caught up. */
export interface LossHold {
  /** When the deficit is confirmed, unless frames catch up first. */
  readonly until: number;
  /** The smallest deficit seen since the hold began: the frames to count lost at `until`. */
  readonly missing: number;
}

/** Parameters of the schedule. */
export interface LossScheduleOptions {
  /** Frame period, ms (> 0). */
  readonly periodMs: number;
  /** How long a frame behind schedule waits for queued frames to follow it, ms (>= 0). */
  readonly confirmMs: number;
}

/** What to do with the frame that just arrived. */
export type LossStep =
  /** Play `lost` frames of silence, then the held frames in order, then this one. */
  | { readonly schedule: LossSchedule; readonly action: 'release'; readonly lost: number }
  /** Keep this frame after the held ones; confirm the deficit at `until` unless frames catch up first. */
  | { readonly schedule: LossSchedule; readonly action: 'hold'; readonly until: number };

/** The schedule before the first frame. */
export const initialLossSchedule: LossSchedule = { anchor: undefined, position: 0, hold: undefined };

/**
 * Accounts for a frame arriving at `now`. An expired hold (`now >= hold.until`) must be
 * confirmed with {@link confirmLoss} first: the frame arriving after it is not part of it.
 */
export function scheduleArrival(schedule: LossSchedule, now: number, options: LossScheduleOptions): LossStep {
  const { hold } = schedule;
  if (hold !== undefined && now >= hold.until) {
    throw new RangeError(`the hold expired at ${hold.until} and was not confirmed before an arrival at ${now}`);
  }
  const period = options.periodMs;
  const anchor = schedule.anchor === undefined ? now : Math.min(schedule.anchor, now - schedule.position * period);
  const position = schedule.position + 1;
  const due = Math.floor((now - anchor) / period) + 1;
  const missing = Math.min(due - position, hold?.missing ?? Infinity);
  if (missing <= 0) return { schedule: { anchor, position, hold: undefined }, action: 'release', lost: 0 };
  const until = hold?.until ?? now + options.confirmMs;
  if (now >= until) return { schedule: { anchor, position: position + missing, hold: undefined }, action: 'release', lost: missing };
  return { schedule: { anchor, position, hold: { until, missing } }, action: 'hold', until };
}

/** Confirms the deficit of the current hold (at or after its `until`): those frames are lost. */
export function confirmLoss(schedule: LossSchedule): { readonly schedule: LossSchedule; readonly lost: number } {
  const lost = schedule.hold?.missing ?? 0;
  return { schedule: { anchor: schedule.anchor, position: schedule.position + lost, hold: undefined }, lost };
}
