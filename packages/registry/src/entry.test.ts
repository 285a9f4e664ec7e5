import { describe, expect, test } from 'vitest';
import { checkNewEntry, compareNames, readCaps } from './entry.js';
import { InvalidEntryError, RegistryStorageError } from './errors.js';

describe('compareNames', () => {
  test('without case first, then with', () => {
    expect(['b', 'A', 'a', 'B', 'c'].sort(compareNames)).toEqual(['A', 'a', 'B', 'b', 'c']);
    expect(compareNames('x', 'x')).toBe(0);
  });
});

describe('checkNewEntry', () => {
  const good = { name: 'alice', ip: '127.0.0.1', port: 5001, owner: 'c1' };
  test('uses the clock when since is missing, else the date given', () => {
    expect(checkNewEntry(good, () => 42).since).toBe(42);
    expect(checkNewEntry({ ...good, since: new Date(7) }, () => 42).since).toBe(7);
  });
  test('version defaults to 1 and caps to null; caps become canonical JSON text', () => {
    expect(checkNewEntry(good, () => 0)).toEqual({ since: 0, version: 1, caps: null });
    const caps = { formats: [{ frames: [160], codec: 'L16', rate: 8000 }] } as unknown as { formats: { codec: string; rate: number; frames: number[] }[] };
    expect(checkNewEntry({ ...good, version: 2, caps }, () => 0)).toEqual({ since: 0, version: 2, caps: '{"formats":[{"codec":"L16","rate":8000,"frames":[160]}]}' });
  });
  test('refuses a version that is not an integer from 1', () => {
    expect(() => checkNewEntry({ ...good, version: '2' as unknown as number }, () => 0)).toThrow(InvalidEntryError);
  });
  test('refuses a since that is not a Date', () => {
    expect(() => checkNewEntry({ ...good, since: 7 as unknown as Date }, () => 0)).toThrow(InvalidEntryError);
  });
  test('refuses a port that is not a number', () => {
    expect(() => checkNewEntry({ ...good, port: '5001' as unknown as number }, () => 0)).toThrow(InvalidEntryError);
  });
});

describe('readCaps', () => {
  const text = '{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}';
  test('reads JSON text or a parsed value into a fresh object; null stays null', () => {
    expect(readCaps(null)).toBeNull();
    expect(readCaps(text)).toEqual(JSON.parse(text));
    const parsed: unknown = JSON.parse(text);
    expect(readCaps(parsed)).toEqual(parsed);
    expect(readCaps(parsed)).not.toBe(parsed);
  });
  test.each(['not json', '{"formats":[]}', '[]', 42])('refuses stored %j with RegistryStorageError', (stored) => {
    expect(() => readCaps(stored)).toThrow(RegistryStorageError);
  });
});
