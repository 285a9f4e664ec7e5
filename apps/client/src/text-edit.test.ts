import { describe, expect, test } from 'vitest';
import { editText, type TextKey } from './text-edit.js';

describe('editText', () => {
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
    ['ab', { input: '', leftArrow: true }, undefined],
    ['ab', { input: 'x', meta: true }, undefined],
    ['ab', { input: '\u0007' }, undefined],
    ['ab', { input: 'c\r\nd' }, 'abcd'],
  ])('%j + %j -> %j', (value, key, next) => expect(editText(value, key)).toBe(next));

  test('caps the length', () => expect(editText('abc', { input: 'def' }, 4)).toBe('abcd'));
});
