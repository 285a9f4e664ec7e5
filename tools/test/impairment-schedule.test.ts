// Tests of the impairment relay's schedule: deterministic by seed, and faithful to its loss models over 100,000 packets.
import { describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM script without types
import { directionSeed, normaliseProfile, schedule } from '../impairment/schedule.mjs';
// @ts-expect-error plain ESM script without types
import { parseRelayArgs } from '../impairment/options.mjs';

interface Decision {
  index: number;
  drop: null | 'random' | 'burst';
  bad: boolean;
  delaysMs: number[];
  reordered: boolean;
  duplicated: boolean;
}
const run = (seed: number, profile: object, count: number): Decision[] => schedule(seed, profile, count);
const N = 100_000;

/** Loss rate and mean length of runs of consecutive losses. */
function lossFigures(decisions: Decision[]) {
  let lost = 0;
  let bursts = 0;
  let previous = false;
  for (const d of decisions) {
    const isLost = d.drop !== null;
    if (isLost) lost++;
    if (isLost && !previous) bursts++;
    previous = isLost;
  }
  return { rate: lost / decisions.length, meanBurst: lost / bursts };
}

describe('impairment schedule', () => {
  const profile = { loss: 0.05, burst: { p: 0.02, r: 0.3 }, delayMs: 20, jitterMs: 30, reorder: 0.01, duplicate: 0.01 };

  test('the same seed gives the same decisions; another seed, or the other direction, others', () => {
    const a = run(42, profile, 2000);
    expect(run(42, profile, 2000)).toEqual(a);
    expect(run(43, profile, 2000)).not.toEqual(a);
    expect(directionSeed(42, 'backward')).not.toBe(directionSeed(42, 'forward'));
    expect(run(directionSeed(42, 'backward'), profile, 2000)).not.toEqual(a);
  });

  test('turning one impairment on does not move the draws of the others', () => {
    const lossOnly = run(9, { loss: 0.1 }, 5000).map((d) => d.drop);
    const withJitter = run(9, { loss: 0.1, jitterMs: 40 }, 5000).map((d) => d.drop);
    expect(withJitter).toEqual(lossOnly);
  });

  test('random loss: the measured rate is the probability', () => {
    const { rate } = lossFigures(run(1, { loss: 0.1 }, N));
    console.log('random loss 0.1 over 100k:', rate);
    expect(Math.abs(rate - 0.1)).toBeLessThan(0.003); // 3 standard deviations
  });

  test.each([
    { p: 0.05, r: 0.5, lossGood: 0, lossBad: 1 },
    { p: 0.01, r: 0.1, lossGood: 0, lossBad: 1 },
  ])('Gilbert burst loss p=$p r=$r: rate p/(p+r), mean burst 1/r', ({ p, r, lossGood, lossBad }) => {
    const { rate, meanBurst } = lossFigures(run(7, { burst: { p, r, lossGood, lossBad } }, N));
    const expectedRate = p / (p + r);
    console.log(`Gilbert p=${p} r=${r} over 100k: rate ${rate.toFixed(4)} (model ${expectedRate.toFixed(4)}), mean burst ${meanBurst.toFixed(3)} (model ${1 / r})`);
    expect(Math.abs(rate - expectedRate) / expectedRate).toBeLessThan(0.08);
    expect(Math.abs(meanBurst - 1 / r) / (1 / r)).toBeLessThan(0.08);
  });

  test('Gilbert-Elliott with losses in both states: rate and time in the bad state match the stationary model', () => {
    const model = { p: 0.02, r: 0.25, lossGood: 0.01, lossBad: 0.7 };
    const decisions = run(5, { burst: model }, N);
    const piBad = model.p / (model.p + model.r);
    const expectedRate = (1 - piBad) * model.lossGood + piBad * model.lossBad;
    const { rate } = lossFigures(decisions);
    const badShare = decisions.filter((d) => d.bad).length / N;
    console.log(`Gilbert-Elliott over 100k: rate ${rate.toFixed(4)} (model ${expectedRate.toFixed(4)}), bad share ${badShare.toFixed(4)} (model ${piBad.toFixed(4)})`);
    expect(Math.abs(rate - expectedRate) / expectedRate).toBeLessThan(0.08);
    expect(Math.abs(badShare - piBad) / piBad).toBeLessThan(0.08);
    expect(decisions.every((d) => d.drop !== 'random')).toBe(true);
  });

  test('delay, jitter, reordering and duplication', () => {
    const decisions = run(3, { delayMs: 20, jitterMs: 30, reorder: 0.05, reorderMs: 100, duplicate: 0.02 }, N);
    const plain = decisions.filter((d) => !d.reordered);
    const firsts = plain.map((d) => d.delaysMs[0]!);
    expect(Math.min(...firsts)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...firsts)).toBeLessThan(50);
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(Math.abs(mean - 35)).toBeLessThan(0.3);
    const reordered = decisions.filter((d) => d.reordered);
    expect(Math.abs(reordered.length / N - 0.05)).toBeLessThan(0.003);
    expect(reordered.every((d) => d.delaysMs[0]! >= 120 && d.delaysMs[0]! < 150)).toBe(true);
    const duplicated = decisions.filter((d) => d.duplicated);
    expect(Math.abs(duplicated.length / N - 0.02)).toBeLessThan(0.0015);
    expect(duplicated.every((d) => d.delaysMs.length === 2)).toBe(true);
    expect(decisions.filter((d) => !d.duplicated).every((d) => d.delaysMs.length === 1)).toBe(true);
    console.log(`delay 20 + jitter 30 over 100k: mean ${mean.toFixed(2)} ms; reordered ${reordered.length}, duplicated ${duplicated.length}`);
  });

  test.each([
    [{ loss: 1.5 }, 'loss'],
    [{ loss: -0.1 }, 'loss'],
    [{ jitterMs: -1 }, 'jitterMs'],
    [{ burst: { p: 0.1, r: 2 } }, 'burst.r'],
    [{ delayMs: Number.NaN }, 'delayMs'],
  ])('refuses %o', (profile, option) => {
    expect(() => normaliseProfile(profile)).toThrow(expect.objectContaining({ code: 'bad-impairment', option }));
  });
});

describe('relay command line', () => {
  test('flags for both directions, and per direction', () => {
    const options = parseRelayArgs([
      '--listen',
      '4000',
      '--to',
      '127.0.0.1:5000',
      '--seed',
      '9',
      '--loss',
      '0.1',
      '--burst',
      '0.02,0.3',
      '--jitter',
      '30',
      '--backward-loss',
      '0.2',
      '--forward-reorder',
      '0.01,80',
    ]);
    expect(options).toEqual({
      listen: { host: '127.0.0.1', port: 4000 },
      to: { host: '127.0.0.1', port: 5000 },
      seed: 9,
      forward: { loss: 0.1, burst: { p: 0.02, r: 0.3 }, jitterMs: 30, reorder: 0.01, reorderMs: 80 },
      backward: { loss: 0.2, burst: { p: 0.02, r: 0.3 }, jitterMs: 30 },
    });
    expect(parseRelayArgs(['--listen', '[::1]:7', '--to', '[::1]:8']).listen).toEqual({ host: '::1', port: 7 });
  });

  test.each([
    [['--to', '127.0.0.1:5000'], '--listen'],
    [['--listen', '1', '--to', '5000'], '--to'],
    [['--listen', '1', '--to', '127.0.0.1:5000', '--loss', 'lots'], '--loss'],
    [['--listen', '1', '--to', '127.0.0.1:5000', '--burst', '0.1'], '--burst'],
    [['--listen', '1', '--to', '127.0.0.1:5000', '--loss', '2'], 'loss'],
    [['--listen', '1', '--to', '127.0.0.1:5000', '--bogus'], 'arguments'],
  ])('refuses %o', (argv, option) => {
    expect(() => parseRelayArgs(argv)).toThrow(expect.objectContaining({ code: 'bad-impairment', option }));
  });
});
