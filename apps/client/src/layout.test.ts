import { describe, expect, test } from 'vitest';
import { incomingLines, listWindow, LOG_MIN, mainLayout, RESERVED_ROWS, scrolledLines, USERS_MIN, wrapText } from './layout.js';

describe('mainLayout', () => {
  test.each([
    [16, 3, 0, 0, 3],
    [16, 3, 3, 500, 40],
    [16, 8, 0, 500, 200],
    [24, 3, 3, 3, 1],
    [50, 3, 3, 500, 200],
    [200, 3, 3, 0, 0],
    [16, 14, 3, 500, 200],
  ])('%i rows, %i fixed, %i extra, %i users, %i log lines: everything fits', (rows, fixed, extra, userRows, logLines) => {
    const layout = mainLayout({ rows, fixed, extra, userRows, logLines });
    expect(fixed + layout.extra + layout.users + layout.log).toBeLessThanOrEqual(Math.max(fixed, rows - RESERVED_ROWS));
    if (layout.users > 0) expect(layout.users).toBeGreaterThanOrEqual(USERS_MIN);
    if (layout.log > 0) expect(layout.log).toBeGreaterThanOrEqual(LOG_MIN);
    expect(layout.userRows).toBe(Math.max(0, layout.users - 3));
  });

  test('few users: the list takes what it needs, the log the rest', () => {
    expect(mainLayout({ rows: 24, fixed: 3, extra: 0, userRows: 3, logLines: 100 })).toEqual({ extra: 0, users: 6, userRows: 3, log: 13, logLines: 10 });
    expect(mainLayout({ rows: 24, fixed: 3, extra: 0, userRows: 1, logLines: 100 })).toMatchObject({ users: USERS_MIN, userRows: 2 });
  });

  test('many users: the log keeps a third', () => {
    const layout = mainLayout({ rows: 50, fixed: 3, extra: 0, userRows: 500, logLines: 100 });
    expect(layout.log).toBe(15);
    expect(layout.users).toBe(45 - 15);
  });

  test('the figures give way before the lists do', () => {
    expect(mainLayout({ rows: 16, fixed: 8, extra: 3, userRows: 3, logLines: 3 }).extra).toBe(0);
    expect(mainLayout({ rows: 16, fixed: 3, extra: 3, userRows: 500, logLines: 3 })).toMatchObject({ extra: 0, users: 7 });
    expect(mainLayout({ rows: 24, fixed: 3, extra: 3, userRows: 3, logLines: 3 }).extra).toBe(3);
  });

  test('no room for the lists: only the fixed lines', () => {
    expect(mainLayout({ rows: 16, fixed: 12, extra: 3, userRows: 3, logLines: 3 })).toEqual({ extra: 0, users: 0, userRows: 0, log: 0, logLines: 0 });
  });

  test('room for the user list only', () => {
    expect(mainLayout({ rows: 16, fixed: 9, extra: 0, userRows: 30, logLines: 3 })).toMatchObject({ users: 5, log: 0 });
  });
});

describe('listWindow', () => {
  test.each([
    [3, 0, 5, { start: 0, end: 3, more: 0 }],
    [5, 4, 5, { start: 0, end: 5, more: 0 }],
    [500, 0, 5, { start: 0, end: 4, more: 496 }],
    [500, 250, 5, { start: 248, end: 252, more: 496 }],
    [500, 499, 5, { start: 496, end: 500, more: 496 }],
    [10, 9, 1, { start: 9, end: 10, more: 9 }],
    [10, 9, 2, { start: 9, end: 10, more: 9 }],
  ])('%i entries, selected %i, %i rows -> %j', (count, selected, rows, window) => {
    expect(listWindow(count, selected, rows)).toEqual(window);
  });

  test('the selection is always inside the window', () => {
    for (let selected = 0; selected < 100; selected++) {
      const { start, end } = listWindow(100, selected, 7);
      expect(selected).toBeGreaterThanOrEqual(start);
      expect(selected).toBeLessThan(end);
      expect(end - start).toBe(6);
    }
  });
});

describe('wrapText', () => {
  test.each<[string, number, number, string[]]>([
    ['short', 10, 0, ['short']],
    ['', 10, 0, ['']],
    ['one two three four', 9, 0, ['one two', 'three', 'four']],
    ['one two three four', 9, 2, ['one two', '  three', '  four']],
    ['abcdefghij', 4, 0, ['abcd', 'efgh', 'ij']],
    ['a   b', 2, 0, ['a', 'b']],
  ])('%j at %i (indent %i)', (text, width, indent, lines) => expect(wrapText(text, width, indent)).toEqual(lines));

  test('no line is wider than asked', () => {
    const text = 'lost the directory at 127.0.0.1:10000: connection reset. Press Enter to connect again.';
    for (const width of [5, 10, 20, 56]) for (const line of wrapText(text, width, 2)) expect([...line].length).toBeLessThanOrEqual(width);
  });
});

describe('scrolledLines', () => {
  const lines = ['a', 'b', 'c', 'd', 'e'];
  test.each([
    [0, 2, ['a', 'b'], 0],
    [2, 2, ['c', 'd'], 2],
    [9, 2, ['d', 'e'], 3],
    [1, 9, lines, 0],
  ])('scroll %i height %i', (scroll, height, shown, start) => expect(scrolledLines(lines, scroll, height)).toEqual({ shown, start }));
});

describe('incomingLines', () => {
  test('wide: who and where on one line, then the keys', () => {
    expect(incomingLines('bob', '127.0.0.2', 5002, 56)).toEqual(['☎ bob is calling (127.0.0.2:5002)', 'press a or y to accept, r or n to reject']);
  });
  test('a long name at 60 columns: the address moves down, nothing is cut', () => {
    const name = 'n'.repeat(32);
    const lines = incomingLines(name, '255.255.255.255', 65535, 56);
    expect(lines).toEqual([`☎ ${name} is calling`, '(255.255.255.255:65535)', 'press a or y to accept, r or n to reject']);
  });
  test('narrower than the keys sentence: the keys on two lines', () => {
    expect(incomingLines('bob', '127.0.0.2', 5002, 20).slice(-2)).toEqual(['a / y accept', 'r / n reject']);
  });
});
