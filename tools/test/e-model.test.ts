// The simplified E-model against G.107's published reference points and textbook cases.
import { describe, expect, test } from 'vitest';
import { burstRatio, delayImpairment, eModel, effectiveEquipmentImpairment, mosFromR } from '../bench/e-model.mjs';

describe('mosFromR (G.107 Annex B)', () => {
  test.each([
    [93.2, 4.41],
    [90, 4.34],
    [80, 4.02],
    [70, 3.6],
    [60, 3.1],
    [50, 2.58],
  ])('R %d gives MOS %d', (r, mos) => {
    expect(mosFromR(r)).toBeCloseTo(mos, 2);
  });
  test.each([
    [-5, 1],
    [0, 1],
    [100, 4.5],
    [120, 4.5],
  ])('R %d is clamped to MOS %d', (r, mos) => expect(mosFromR(r)).toBe(mos));
});

describe('delayImpairment (Cole-Rosenbluth)', () => {
  test.each([
    [0, 0],
    [100, 2.4],
    [150, 3.6],
    [177.3, 4.2552],
    [200, 4.8 + 0.11 * 22.7],
    [400, 9.6 + 0.11 * 222.7],
  ])('%d ms: Id %d', (d, id) => expect(delayImpairment(d)).toBeCloseTo(id, 6));
  test('negative delay is an error', () => expect(() => delayImpairment(-1)).toThrow(expect.objectContaining({ code: 'bad-e-model-input', option: 'delayMs' })));
});

describe('effectiveEquipmentImpairment (G.107 eq. 7-29, G.113 values)', () => {
  test('no loss costs nothing', () => expect(effectiveEquipmentImpairment(0)).toBe(0));
  test('2% random loss: about 7 with concealment, about 30 without', () => {
    expect(effectiveEquipmentImpairment(2)).toBeCloseTo((95 * 2) / 27.1, 6);
    expect(effectiveEquipmentImpairment(2)).toBeCloseTo(7.01, 2);
    expect(effectiveEquipmentImpairment(2, 1, { ie: 0, bpl: 4.3 })).toBeCloseTo(30.16, 2);
  });
  test('bursty loss hurts more than random loss at the same rate', () => {
    expect(effectiveEquipmentImpairment(10, 2)).toBeGreaterThan(effectiveEquipmentImpairment(10, 1));
  });
  test('every packet lost approaches 95', () => expect(effectiveEquipmentImpairment(100, 1)).toBeCloseTo((95 * 100) / 125.1, 6));
  test.each([[-1], [101], [NaN]])('loss %d%% is an error', (p) => expect(() => effectiveEquipmentImpairment(p)).toThrow(expect.objectContaining({ option: 'lossPercent' })));
});

describe('eModel', () => {
  test('a perfect call is R 93.2, MOS 4.41', () => {
    const e = eModel({ delayMs: 0, lossPercent: 0 });
    expect(e.r).toBeCloseTo(93.2, 6);
    expect(e.mos).toBeCloseTo(4.41, 2);
  });
  test('150 ms and 1% random loss with concealment: R about 86, still "satisfied"', () => {
    const e = eModel({ delayMs: 150, lossPercent: 1 });
    expect(e.r).toBeCloseTo(93.2 - 3.6 - 95 / 26.1, 6);
    expect(e.r).toBeGreaterThan(80);
  });
  test('the same call without concealment drops below R 70', () => {
    expect(eModel({ delayMs: 150, lossPercent: 2, codec: 'g711' }).r).toBeLessThan(70);
  });
  test('an unknown codec is an error', () => expect(() => eModel({ delayMs: 0, lossPercent: 0, codec: 'opus' as never })).toThrow(expect.objectContaining({ option: 'codec' })));
});

describe('burstRatio', () => {
  test('no loss and isolated losses', () => {
    expect(burstRatio([false, false, false])).toBe(1);
    // 2 of 10 lost, each alone: mean burst 1, random expectation 1 / 0.8 = 1.25, clamped to 1.
    expect(burstRatio([true, false, false, false, false, true, false, false, false, false])).toBe(1);
  });
  test('losses in one run of 4 of 20: mean burst 4 over 1 / 0.8', () => {
    const lost = Array.from({ length: 20 }, (_, i) => i >= 5 && i < 9);
    expect(burstRatio(lost)).toBeCloseTo(4 / 1.25, 6);
  });
});
