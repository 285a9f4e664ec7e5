// Tests of the duration check.
import { describe, expect, test } from 'vitest';
import { checkDurationMs } from './duration.js';

describe('checkDurationMs', () => {
  test.each([1, 0.5, 5000, 2 ** 31])('%s ms is a duration', (value) => {
    expect(checkDurationMs(value)).toBeUndefined();
  });

  test.each([0, -1, Number.NaN, Infinity, -Infinity, '5000', undefined, null])('%s is refused with a reason', (value) => {
    expect(checkDurationMs(value)).toMatch(/^must be a positive number of milliseconds, got /);
  });
});
