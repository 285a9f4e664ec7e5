// Tests of the choice between a v2 and a classic call.
import { expect, test } from 'vitest';
import { callForm, peerVersion } from './call-form.js';

const classic = { name: 'bob', ip: '10.0.0.2', port: 5002 };
const v2 = { ...classic, v: 2 };

test.each([
  ['prefer', v2, 'v2'],
  ['prefer', classic, 'classic'],
  ['prefer', { ...classic, v: 1 }, 'classic'],
  ['require', v2, 'v2'],
  ['require', classic, 'not-secure'],
  ['off', v2, 'classic'],
  ['off', classic, 'classic'],
  ['require', null, 'classic'],
] as const)('secure %s, peer %j: %s', (secure, user, form) => {
  expect(callForm(secure, user)).toBe(form);
});

test('a version that is not a positive integer counts as 1', () => {
  expect(peerVersion({ ...classic, v: 'two' } as never)).toBe(1);
  expect(peerVersion({ ...classic, v: 3 } as never)).toBe(3);
});
