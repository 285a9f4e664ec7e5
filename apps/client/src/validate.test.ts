import { describe, expect, test } from 'vitest';
import { checkHost, checkPort, checkSeconds, checkServer, checkServerPort, checkServers } from './validate.js';

describe('checkHost', () => {
  test.each(['127.0.0.1', '10.0.0.255', 'localhost', 'voip.example.org', 'a-b.c1', ' 127.0.0.1 '])('%j is a host', (host) => {
    expect(checkHost(host).ok).toBe(true);
  });
  test.each([
    ['', 'host-empty'],
    ['   ', 'host-empty'],
    ['256.0.0.1', 'host-bad'],
    ['1.2.3', 'host-bad'],
    ['1.2.3.4.5', 'host-bad'],
    ['-bad.org', 'host-bad'],
    ['under_score', 'host-bad'],
    ['a..b', 'host-bad'],
    ['x'.repeat(64), 'host-bad'],
  ])('%j is refused (%s)', (host, code) => expect(checkHost(host)).toMatchObject({ ok: false, code }));
});

describe('checkPort', () => {
  test.each([
    ['1024', 1024],
    ['65535', 65535],
    [' 10000 ', 10000],
  ])('%j -> %i', (text, port) => expect(checkPort(text)).toEqual({ ok: true, value: port }));
  test.each([
    ['', 'port-not-number'],
    ['ten', 'port-not-number'],
    ['10.5', 'port-not-number'],
    ['-1', 'port-not-number'],
    ['1023', 'port-out-of-range'],
    ['65536', 'port-out-of-range'],
  ])('%j is refused (%s)', (text, code) => expect(checkPort(text)).toMatchObject({ ok: false, code }));
});

describe('checkServer', () => {
  test.each([
    ['localhost', { host: 'localhost', port: 10000 }],
    ['127.0.0.1:12000', { host: '127.0.0.1', port: 12000 }],
    ['voip.example.org:443', { host: 'voip.example.org', port: 443 }],
    [' 10.0.0.1:1 ', { host: '10.0.0.1', port: 1 }],
  ])('%j', (text, value) => expect(checkServer(text)).toEqual({ ok: true, value }));
  test.each([
    ['', 'host-empty'],
    [':10000', 'host-bad'],
    ['127.0.0.1:0', 'port-out-of-range'],
    ['127.0.0.1:65536', 'port-out-of-range'],
    ['127.0.0.1:ten', 'port-not-number'],
    ['a:b:c', 'host-bad'],
    ['256.1.1.1:10000', 'host-bad'],
  ])('%j is refused (%s)', (text, code) => expect(checkServer(text)).toMatchObject({ ok: false, code }));
});

describe('checkServerPort', () => {
  test.each([
    ['443', 443],
    ['1', 1],
    ['10000', 10000],
  ])('%j -> %i', (text, port) => expect(checkServerPort(text)).toEqual({ ok: true, value: port }));
  test.each([['0'], ['65536'], ['x']])('%j is refused', (text) => expect(checkServerPort(text).ok).toBe(false));
});

describe('checkSeconds', () => {
  test.each([
    ['1', 1000],
    ['0.25', 250],
    ['86400', 86_400_000],
  ])('%j -> %i ms', (text, ms) => expect(checkSeconds(text, '--x')).toEqual({ ok: true, value: ms }));
  test.each([
    ['0', 'seconds-not-positive'],
    ['0.0001', 'seconds-not-positive'],
    ['86401', 'seconds-too-large'],
    ['1e3', 'seconds-not-number'],
  ])('%j is refused (%s)', (text, code) => expect(checkSeconds(text, '--x')).toMatchObject({ ok: false, code }));
});

describe('checkServers', () => {
  test('each server of a list is written back as host:port, in order, the default port filled in', () => {
    expect(checkServers('10.0.0.1,localhost:10001, example.org:443')).toEqual({ ok: true, value: ['10.0.0.1:10000', 'localhost:10001', 'example.org:443'] });
  });
});
