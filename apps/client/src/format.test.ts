import { describe, expect, test } from 'vitest';
import { formatClock, formatDuration, formatLevel, formatStart, levelBar } from './format.js';

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

describe('formatClock', () => {
  test('local hh:mm:ss', () => expect(formatClock(new Date(2026, 11, 1, 9, 5, 7).getTime())).toBe('09:05:07'));
});

describe('formatStart', () => {
  test('local yyyy-mm-dd hh:mm', () => expect(formatStart(new Date(2026, 0, 2, 3, 4, 5).toISOString())).toBe('2026-01-02 03:04'));
  test('not a date: shown as it is', () => expect(formatStart('yesterday')).toBe('yesterday'));
});
