// Tests of reading the directory address option.
import { describe, expect, test } from 'vitest';
import { PhoneError, parseServer } from '../src/internal.js';

describe('parseServer', () => {
  test.each([
    ['127.0.0.1', { host: '127.0.0.1', port: 10000 }],
    ['directory.example:443', { host: 'directory.example', port: 443 }],
    ['[::1]:10001', { host: '::1', port: 10001 }],
  ] as const)('%j', (server, expected) => {
    expect(parseServer(server)).toEqual(expected);
  });

  test('an object, with the default port', () => {
    expect(parseServer({ host: 'h' })).toEqual({ host: 'h', port: 10000 });
    expect(parseServer({ host: 'h', port: 80 })).toEqual({ host: 'h', port: 80 });
  });

  test.each(['', '::1', 'host:0', 'host:x'])('%j is a PhoneError invalid-option', (server) => {
    expect(() => parseServer(server)).toThrow(PhoneError);
    expect(() => parseServer(server)).toThrow(expect.objectContaining({ code: 'invalid-option' }));
  });
});
