// Tests of the name rule.
import { describe, expect, test } from 'vitest';
import { InvalidNameError, nameKey, validateName } from './name.js';

describe('validateName', () => {
  test.each([['a'], ['alice'], ['Client A'], ['x'.repeat(32)], ['j.doe_2-b'], ['a  b'], ['...'], ['-']])('accepts %j', (name) => {
    expect(validateName(name)).toEqual({ ok: true, value: name });
  });

  test.each([
    [42, 'name-not-string'],
    [null, 'name-not-string'],
    [undefined, 'name-not-string'],
    [['alice'], 'name-not-string'],
    ['', 'name-empty'],
    ['x'.repeat(33), 'name-too-long'],
    [' alice', 'name-edge-space'],
    ['alice ', 'name-edge-space'],
    [' ', 'name-edge-space'],
    ['al/ice', 'name-bad-character'],
    ['alice\n', 'name-bad-character'],
    ['al\tice', 'name-bad-character'],
    ['élise', 'name-bad-character'],
    ['😀', 'name-bad-character'],
    ['a"b', 'name-bad-character'],
    ['a{b}', 'name-bad-character'],
  ])('refuses %j as %s', (name, code) => {
    expect(validateName(name)).toMatchObject({ ok: false, code });
  });
});

describe('nameKey', () => {
  test.each([
    ['alice', 'alice'],
    ['ALICE', 'alice'],
    ['Bob_2.x-Y z', 'bob_2.x-y z'],
    // Only ASCII folds, like SQLite NOCASE.
    ['ÉLODIE', 'Élodie'],
    ['Straße', 'straße'],
  ])('%s -> %s', (name, key) => {
    expect(nameKey(name)).toBe(key);
  });

  test.each([
    ['alice', 'Alice'],
    ['ALICE', 'alice'],
    ['Client A', 'client a'],
  ])('%j and %j collide', (a, b) => {
    expect(nameKey(a)).toBe(nameKey(b));
  });

  test('different names keep different keys', () => {
    expect(nameKey('alice')).not.toBe(nameKey('alice.'));
    expect(nameKey('a b')).not.toBe(nameKey('a_b'));
  });
});

describe('InvalidNameError', () => {
  test('carries a name, a stable code and the value', () => {
    const error = new InvalidNameError('', 'name-empty', 'name must not be empty');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidNameError');
    expect(error.code).toBe('name-empty');
    expect(error.value).toBe('');
  });
});
