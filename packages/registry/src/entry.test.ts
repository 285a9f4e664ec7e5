import { describe, expect, test } from 'vitest';
import { checkNewEntry, compareNames } from './entry.js';
import { InvalidEntryError } from './errors.js';

describe('compareNames', () => {
  test('without case first, then with', () => {
    expect(['b', 'A', 'a', 'B', 'c'].sort(compareNames)).toEqual(['A', 'a', 'B', 'b', 'c']);
    expect(compareNames('x', 'x')).toBe(0);
  });
});

describe('checkNewEntry', () => {
  const good = { name: 'alice', ip: '127.0.0.1', port: 5001, owner: 'c1' };
  test('uses the clock when since is missing, else the date given', () => {
    expect(checkNewEntry(good, () => 42)).toBe(42);
    expect(checkNewEntry({ ...good, since: new Date(7) }, () => 42)).toBe(7);
  });
  test('refuses a since that is not a Date', () => {
    expect(() => checkNewEntry({ ...good, since: 7 as unknown as Date }, () => 0)).toThrow(InvalidEntryError);
  });
  test('refuses a port that is not a number', () => {
    expect(() => checkNewEntry({ ...good, port: '5001' as unknown as number }, () => 0)).toThrow(InvalidEntryError);
  });
});
