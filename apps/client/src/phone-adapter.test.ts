import { CallFailedError, PhoneError } from '@voip/session';
import { describe, expect, test } from 'vitest';
import { describeCallError, describeConnectError } from './phone-adapter.js';

const request = { server: '127.0.0.1:10000', udpPort: 5001 };

describe('describeConnectError', () => {
  test.each([
    ['udp-port-in-use', 'UDP port 5001 is already in use on 0.0.0.0; choose another port', 'UDP port 5001 is already in use: is another client running? try --udp-port'],
    ['server-unreachable', 'cannot reach the directory at 127.0.0.1:10000: connection refused', 'cannot reach the directory at 127.0.0.1:10000: connection refused'],
    ['server-unreachable', 'timed out', 'cannot reach the directory at 127.0.0.1:10000: timed out'],
    ['name-refused', 'the directory refused the name "alice": name taken', 'the directory refused the name "alice": name taken'],
  ])('%s: %j', (code, message, sentence) => expect(describeConnectError(code, message, request)).toBe(sentence));
});

describe('describeCallError', () => {
  test('a failed call keeps its reason and detail', () => {
    expect(describeCallError(new CallFailedError('bob', 'rejected'))).toEqual({ kind: 'ended', reason: 'rejected' });
    expect(describeCallError(new CallFailedError('bob', 'error', 'audio failed'))).toEqual({ kind: 'ended', reason: 'error', detail: 'audio failed' });
  });
  test('a refusal of the phone keeps its code', () => {
    expect(describeCallError(new PhoneError('busy', 'cannot call bob: the phone is ringing'))).toEqual({
      kind: 'refused',
      code: 'busy',
      message: 'cannot call bob: the phone is ringing',
    });
  });
  test('anything else is a refusal with code error', () => {
    expect(describeCallError(new Error('boom'))).toEqual({ kind: 'refused', code: 'error', message: 'boom' });
  });
});
