import { expect, test } from 'vitest';
import { diagnosticsOut, isDeviceSpec } from './output-isolation.js';

test.each([
  ['device', true],
  ['device:USB Audio', true],
  ['wav:/tmp/a.wav', false],
  ['null', false],
])('isDeviceSpec(%j) = %s', (spec, device) => expect(isDeviceSpec(spec)).toBe(device));

test('diagnostics go to stderr, or to the fd the parent names', () => {
  expect(diagnosticsOut({})).toBe(process.stderr);
  expect(diagnosticsOut({ VOIP_CLIENT_DIAGNOSTICS_FD: '5' })).not.toBe(process.stderr);
});
