import { describe, expect, test } from 'vitest';
import { endText, reachedAnyone, refusalText } from './end-text.js';
import type { CallDirection, EndReason } from './phone-contract.js';

describe('endText', () => {
  test.each<[EndReason, CallDirection, string]>([
    ['hangup', 'outgoing', 'you hung up the call with bob'],
    ['hangup', 'incoming', 'you hung up the call with bob'],
    ['remote-hangup', 'outgoing', 'bob hung up'],
    ['remote-hangup', 'incoming', 'bob hung up'],
    ['rejected', 'outgoing', 'bob declined the call (or is busy)'],
    ['rejected', 'incoming', "you declined bob's call"],
    ['cancelled', 'outgoing', 'you cancelled the call to bob'],
    ['cancelled', 'incoming', 'missed call from bob'],
    ['ring-timeout', 'outgoing', 'bob did not answer'],
    ['ring-timeout', 'incoming', 'missed call from bob'],
    ['peer-silent', 'outgoing', 'no audio from bob any more: the call was ended'],
    ['peer-silent', 'incoming', 'no audio from bob any more: the call was ended'],
    ['not-found', 'outgoing', 'bob is not online'],
    ['not-found', 'incoming', 'bob is not online'],
    ['self-call', 'outgoing', 'you cannot call yourself'],
    ['self-call', 'incoming', 'you cannot call yourself'],
    ['directory-lost', 'outgoing', 'the call to bob was not placed: the directory connection is lost'],
    ['directory-lost', 'incoming', 'the call from bob ended: the directory connection is lost'],
    ['error', 'outgoing', 'the call to bob failed'],
    ['error', 'incoming', 'the call from bob failed'],
    ['not-secure', 'outgoing', "bob's client cannot encrypt calls: call not placed (--require-secure)"],
    ['not-secure', 'incoming', 'refused an unencrypted call from bob (--require-secure)'],
  ])('%s, %s: %s', (reason, direction, text) => {
    expect(endText({ peer: 'bob', reason, direction })).toBe(text);
  });

  test.each<[EndReason, string]>([
    ['rejected', 'we rejected the call'],
    ['self-call', 'one cannot call oneself'],
    ['not-found', 'bob is not online'],
    ['cancelled', 'the phone was closed'],
    ['not-secure', 'the peer makes only classic calls'],
  ])('the detail of %s is not repeated after the sentence', (reason, detail) => {
    const text = endText({ peer: 'bob', reason, direction: 'outgoing', detail });
    expect(text).not.toContain(detail === 'bob is not online' ? ': bob' : detail);
  });

  test('an error says what failed', () => {
    expect(endText({ peer: 'bob', reason: 'error', direction: 'outgoing', detail: 'the audio device failed' })).toBe('the call to bob failed: the audio device failed');
  });

  test('a wait for a name that never came online', () => {
    expect(endText({ peer: 'bob', reason: 'not-found', direction: 'outgoing', waitedMs: 10_000 })).toBe('bob did not come online within 10 s');
  });

  test.each<[EndReason, boolean]>([
    ['hangup', true],
    ['cancelled', true],
    ['rejected', true],
    ['self-call', false],
    ['not-found', false],
    ['directory-lost', false],
    ['not-secure', true],
  ])('%s reached anyone: %s', (reason, kept) => expect(reachedAnyone(reason)).toBe(kept));
});

describe('refusalText', () => {
  test.each<[string, string, string]>([
    ['busy', 'cannot call bob: the phone is ringing', 'cannot call bob now: finish the current call first'],
    ['not-connected', 'the phone is closed', 'cannot call bob: the directory connection is closed'],
    ['closed', 'the phone is closed', 'cannot call bob: the directory connection is closed'],
    ['invalid-option', 'the name to call must be a non-empty string', 'cannot call bob: the name to call must be a non-empty string'],
    ['directory-error', 'cannot call bob: no reply', 'cannot call bob: no reply'],
  ])('%s', (code, message, text) => {
    expect(refusalText('bob', { kind: 'refused', code, message })).toBe(text);
  });
});
