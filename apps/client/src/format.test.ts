import { describe, expect, test } from 'vitest';
import { formatDuration, formatLevel, levelBar } from './format.js';

describe('formatDuration', () => {
  test.each([
    [0, '00:00'],
    [999, '00:00'],
    [1000, '00:01'],
    [61_500, '01:01'],
    [75 * 60_000, '75:00'],
    [-5, '00:00'],
  ])('%i ms -> %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('levelBar', () => {
  test.each([
    [0, '##########'],
    [6, '##########'],
    [-30, '#####.....'],
    [-60, '..........'],
    [-90, '..........'],
    [-Infinity, '..........'],
    [Number.NaN, '..........'],
  ])('%d dBFS -> %s', (dbfs, bar) => expect(levelBar(dbfs)).toBe(bar));

  test('width is respected', () => expect(levelBar(-15, 4)).toBe('###.'));
});

describe('formatLevel', () => {
  test.each([
    [-12.4, '-12 dB'],
    [-Infinity, 'silent'],
  ])('%d -> %s', (dbfs, text) => expect(formatLevel(dbfs)).toBe(text));
});
