/** Tests of the loss schedule state machine. */
import { describe, expect, it } from 'vitest';
import { confirmLoss, initialLossSchedule, scheduleArrival, type LossSchedule } from './loss-schedule.js';

const options = { periodMs: 64, confirmMs: 32 };

/** Feeds arrivals (and hold expiries) in order; returns the step of each arrival. */
function feed(arrivals: readonly number[]) {
  let schedule: LossSchedule = initialLossSchedule;
  const steps: string[] = [];
  for (const at of arrivals) {
    if (schedule.hold !== undefined && at >= schedule.hold.until) {
      const confirmed = confirmLoss(schedule);
      schedule = confirmed.schedule;
      steps.push(`lost ${confirmed.lost}`);
    }
    const step = scheduleArrival(schedule, at, options);
    schedule = step.schedule;
    steps.push(step.action === 'release' ? `release ${step.lost}` : `hold until ${step.until}`);
  }
  return { steps, schedule };
}

describe('loss schedule', () => {
  it.each([
    { name: 'paced', arrivals: [0, 64, 128], steps: ['release 0', 'release 0', 'release 0'], anchor: 0, position: 3 },
    { name: 'late by 63 ms', arrivals: [0, 64 + 63, 128], steps: ['release 0', 'release 0', 'release 0'], anchor: 0, position: 3 },
    { name: 'early frame moves the anchor back', arrivals: [40, 64, 128], steps: ['release 0', 'release 0', 'release 0'], anchor: 0, position: 3 },
    { name: 'one lost, confirmed', arrivals: [0, 64, 192, 256], steps: ['release 0', 'release 0', 'hold until 224', 'lost 1', 'release 0'], anchor: 0, position: 5 },
    {
      name: 'queued frames catch up',
      arrivals: [0, 64, 256, 256, 256],
      steps: ['release 0', 'release 0', 'hold until 288', 'hold until 288', 'release 0'],
      anchor: 0,
      position: 5,
    },
    {
      name: 'a burst after a loss keeps the smallest deficit',
      arrivals: [0, 256, 256, 256, 320],
      steps: ['release 0', 'hold until 288', 'hold until 288', 'hold until 288', 'lost 1', 'release 0'],
      anchor: 0,
      position: 6,
    },
  ])('$name', ({ arrivals, steps, anchor, position }) => {
    const result = feed(arrivals);
    expect(result.steps).toEqual(steps);
    expect(result.schedule).toMatchObject({ anchor, position, hold: undefined });
  });

  it('with confirmMs 0, releases at once with the deficit counted lost', () => {
    const first = scheduleArrival(initialLossSchedule, 0, { periodMs: 64, confirmMs: 0 });
    const step = scheduleArrival(first.schedule, 192, { periodMs: 64, confirmMs: 0 });
    expect(step).toMatchObject({ action: 'release', lost: 2, schedule: { position: 4, hold: undefined } });
  });

  it('refuses an arrival after an unconfirmed expired hold', () => {
    const { schedule } = feed([0, 192]);
    expect(schedule.hold).toEqual({ until: 224, missing: 2 }); // two frames due before the one at 192
    expect(() => scheduleArrival(schedule, 224, options)).toThrow(RangeError);
  });

  it('confirming without a hold counts nothing', () => {
    expect(confirmLoss(initialLossSchedule)).toEqual({ schedule: initialLossSchedule, lost: 0 });
  });
});
