// Tests of the host:port parser.
import { describe, expect, test } from 'vitest';
import { formatHostPort, parseHostPort } from './host-port.js';

describe('parseHostPort', () => {
  test.each([
    ['example.org', { host: 'example.org', port: 10000 }],
    ['example.org:443', { host: 'example.org', port: 443 }],
    ['  127.0.0.1:10001 ', { host: '127.0.0.1', port: 10001 }],
    ['[::1]', { host: '::1', port: 10000 }],
    ['[::1]:5001', { host: '::1', port: 5001 }],
    ['[fe80::1%eth0]:1', { host: 'fe80::1%eth0', port: 1 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
  ])('%j reads as %j', (text, value) => {
    expect(parseHostPort(text, 10000)).toEqual({ ok: true, value });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['::1', 'bad-address'],
    ['fe80::1:5001', 'bad-address'],
    [':10000', 'bad-address'],
    ['[]:10000', 'bad-address'],
    ['my host:10000', 'bad-address'],
    ['[::1]x', 'bad-address'],
    ['host:', 'bad-port'],
    ['host:0', 'bad-port'],
    ['host:65536', 'bad-port'],
    ['host:12ab', 'bad-port'],
    ['host:-1', 'bad-port'],
    ['host:1e3', 'bad-port'],
    ['[::1]:', 'bad-port'],
  ])('%j is refused with %s', (text, code) => {
    const result = parseHostPort(text, 10000);
    expect(result).toMatchObject({ ok: false, code });
  });

  test('a value that is not a string is empty, never a throw', () => {
    expect(parseHostPort(undefined as unknown as string, 10000)).toMatchObject({ ok: false, code: 'empty' });
  });
});

describe('formatHostPort', () => {
  test.each([
    [{ host: '127.0.0.1', port: 10000 }, '127.0.0.1:10000'],
    [{ host: 'example.org', port: 443 }, 'example.org:443'],
    [{ host: '::1', port: 10000 }, '[::1]:10000'],
    [{ host: 'fe80::1', port: 5001 }, '[fe80::1]:5001'],
  ])('%j is written %s, and parseHostPort reads it back', (address, text) => {
    expect(formatHostPort(address)).toBe(text);
    expect(parseHostPort(text, 1)).toEqual({ ok: true, value: address });
  });
});
