// The impairment relay's decisions: a pure, seeded function of each packet's place in its direction's stream.
//
// Each packet draws exactly seven numbers from a mulberry32 stream, whatever the
// profile, so that turning one impairment on or off never shifts the others' draws:
//   1. Gilbert-Elliott transition: good -> bad with probability p, bad -> good with r;
//   2. loss in the new state: lossGood in good, lossBad in bad;
//   3. independent random loss with probability `loss`;
//   4. jitter of the first copy: uniform in [0, jitterMs);
//   5. reordering: with probability `reorder` the packet is held back reorderMs more,
//      so the packets behind it overtake it;
//   6. duplication with probability `duplicate`;
//   7. jitter of the duplicate.

/** Thrown on an impairment option out of range; `code` is stable. */
export class ImpairmentError extends Error {
  name = 'ImpairmentError';
  code = 'bad-impairment';
  /** @param {string} option @param {string} message */
  constructor(option, message) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}

/**
 * @typedef {object} BurstLoss Gilbert-Elliott two-state loss.
 * @property {number} p probability of going from the good state to the bad one, per packet
 * @property {number} r probability of going from the bad state back to the good one
 * @property {number} [lossGood] loss probability in the good state (default 0)
 * @property {number} [lossBad] loss probability in the bad state (default 1: the Gilbert model)
 *
 * @typedef {object} Profile What one direction suffers; every field defaults to none.
 * @property {number} [loss] independent random loss probability
 * @property {BurstLoss} [burst] burst loss
 * @property {number} [delayMs] fixed delay
 * @property {number} [jitterMs] random extra delay, uniform in [0, jitterMs): reorders packets closer than that
 * @property {number} [reorder] probability of holding a packet back reorderMs more
 * @property {number} [reorderMs] hold-back of a reordered packet (default 50)
 * @property {number} [duplicate] probability of sending a packet twice (the copy with its own jitter)
 *
 * @typedef {object} ScheduleState
 * @property {number} rng mulberry32 state
 * @property {boolean} bad the Gilbert-Elliott state
 * @property {number} index packets decided so far
 *
 * @typedef {object} Decision
 * @property {number} index the packet's place in its direction, from 0
 * @property {null | 'random' | 'burst'} drop why it is dropped, or null
 * @property {boolean} bad the Gilbert-Elliott state for this packet
 * @property {number[]} delaysMs when to send each copy, after its arrival (empty if dropped)
 * @property {boolean} reordered held back
 * @property {boolean} duplicated sent twice
 */

/** Checks a profile; returns it with defaults filled in. @param {Profile} profile @returns {Required<Omit<Profile, 'burst'>> & { burst: Required<BurstLoss> | null }} */
export function normaliseProfile(profile = {}) {
  const probability = (name, value) => {
    if (!(typeof value === 'number' && value >= 0 && value <= 1)) throw new ImpairmentError(name, `a probability in [0, 1], got ${value}`);
    return value;
  };
  const duration = (name, value) => {
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) throw new ImpairmentError(name, `a duration >= 0 ms, got ${value}`);
    return value;
  };
  const burst = profile.burst
    ? {
        p: probability('burst.p', profile.burst.p),
        r: probability('burst.r', profile.burst.r),
        lossGood: probability('burst.lossGood', profile.burst.lossGood ?? 0),
        lossBad: probability('burst.lossBad', profile.burst.lossBad ?? 1),
      }
    : null;
  return {
    loss: probability('loss', profile.loss ?? 0),
    burst,
    delayMs: duration('delayMs', profile.delayMs ?? 0),
    jitterMs: duration('jitterMs', profile.jitterMs ?? 0),
    reorder: probability('reorder', profile.reorder ?? 0),
    reorderMs: duration('reorderMs', profile.reorderMs ?? 50),
    duplicate: probability('duplicate', profile.duplicate ?? 0),
  };
}

/** The state before a direction's first packet. @param {number} seed @returns {ScheduleState} */
export function initialState(seed) {
  return { rng: seed >>> 0, bad: false, index: 0 };
}

/** The seed of one direction of a relay seeded with `seed`. @param {number} seed @param {'forward' | 'backward'} direction */
export function directionSeed(seed, direction) {
  return direction === 'forward' ? seed >>> 0 : (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0;
}

/** mulberry32: one step. @param {number} state @returns {[number, number]} [a float in [0, 1), the next state] */
function draw(state) {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/**
 * Decides the fate of the next packet. Pure: the same state and profile give the same
 * decision and next state. @param {ScheduleState} state @param {ReturnType<typeof normaliseProfile>} profile
 * @returns {{ state: ScheduleState, decision: Decision }}
 */
export function decide(state, profile) {
  let rng = state.rng;
  const u = [];
  for (let i = 0; i < 7; i++) {
    const [value, next] = draw(rng);
    u.push(value);
    rng = next;
  }
  const burst = profile.burst;
  let bad = false;
  let burstLost = false;
  if (burst) {
    bad = state.bad ? u[0] >= burst.r : u[0] < burst.p;
    burstLost = u[1] < (bad ? burst.lossBad : burst.lossGood);
  }
  const drop = burstLost ? 'burst' : u[2] < profile.loss ? 'random' : null;
  const reordered = drop === null && u[4] < profile.reorder;
  const duplicated = drop === null && u[5] < profile.duplicate;
  const first = profile.delayMs + u[3] * profile.jitterMs + (reordered ? profile.reorderMs : 0);
  const delaysMs = drop ? [] : duplicated ? [first, profile.delayMs + u[6] * profile.jitterMs] : [first];
  return {
    state: { rng, bad, index: state.index + 1 },
    decision: { index: state.index, drop, bad, delaysMs, reordered, duplicated },
  };
}

/** The decisions for the first `count` packets of a stream. @param {number} seed @param {Profile} profile @param {number} count @returns {Decision[]} */
export function schedule(seed, profile, count) {
  const normalised = normaliseProfile(profile);
  let state = initialState(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const step = decide(state, normalised);
    state = step.state;
    out.push(step.decision);
  }
  return out;
}
