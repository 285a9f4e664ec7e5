import { describe, expect, test } from 'vitest';
import { atEnd, editField, type TextKey } from './text-edit.js';

/** `|` marks the cursor. */
const f = (marked: string) => ({ value: marked.replace('|', ''), cursor: [...marked].indexOf('|') });
const show = (field: { value: string; cursor: number } | undefined) =>
  field === undefined ? undefined : [...field.value].slice(0, field.cursor).join('') + '|' + [...field.value].slice(field.cursor).join('');

describe('editField at the end (typing, pasting, Backspace)', () => {
  test.each<[string, TextKey, string | undefined]>([
    ['', { input: 'a' }, 'a'],
    ['ab', { input: 'c' }, 'abc'],
    ['ab', { input: 'pasted text' }, 'abpasted text'],
    ['ab', { input: '', backspace: true }, 'a'],
    ['ab', { input: '', delete: true }, 'a'],
    ['', { input: '', backspace: true }, ''],
    ['héé', { input: '', backspace: true }, 'hé'],
    ['abc', { input: 'u', ctrl: true }, ''],
    ['ab', { input: 'c', ctrl: true }, undefined],
    ['ab', { input: '', return: true }, undefined],
    ['ab', { input: '', escape: true }, undefined],
    ['ab', { input: '', tab: true }, undefined],
    ['ab', { input: '', upArrow: true }, undefined],
    ['ab', { input: '', pageUp: true }, undefined],
    ['ab', { input: 'x', meta: true }, undefined],
    ['ab', { input: '\u0007' }, undefined],
    ['ab', { input: 'c\r\nd' }, 'abcd'],
  ])('%j + %j -> %j', (value, key, next) => expect(editField(atEnd(value), key)?.value).toBe(next));

  test('caps the length', () => expect(editField(atEnd('abc'), { input: 'def' }, 4)).toEqual({ value: 'abcd', cursor: 4 }));
});

describe('editField with a cursor', () => {
  test.each<[string, TextKey, string | undefined]>([
    ['ab|', { input: '', leftArrow: true }, 'a|b'],
    ['|ab', { input: '', leftArrow: true }, '|ab'],
    ['a|b', { input: '', rightArrow: true }, 'ab|'],
    ['ab|', { input: '', rightArrow: true }, 'ab|'],
    ['ab|c', { input: '', home: true }, '|abc'],
    ['a|bc', { input: '', end: true }, 'abc|'],
    ['ab|c', { input: 'a', ctrl: true }, '|abc'],
    ['a|bc', { input: 'e', ctrl: true }, 'abc|'],
    ['a|c', { input: 'b' }, 'ab|c'],
    ['|world', { input: 'hello ' }, 'hello |world'],
    ['ab|c', { input: '', backspace: true }, 'a|c'],
    ['|abc', { input: '', backspace: true }, '|abc'],
    ['a|bc', { input: 'd', ctrl: true }, 'a|c'],
    ['abc|', { input: 'd', ctrl: true }, 'abc|'],
    ['h|éé', { input: '', rightArrow: true }, 'hé|é'],
  ])('%s + %j -> %s', (marked, key, next) => expect(show(editField(f(marked), key))).toBe(next));

  test('a cursor beyond the text is taken as the end', () => expect(editField({ value: 'ab', cursor: 9 }, { input: 'c' })).toEqual({ value: 'abc', cursor: 3 }));
  test('inserting at the cursor respects the cap', () => expect(show(editField(f('a|b'), { input: 'xyz' }, 3))).toBe('ax|b'));
});
