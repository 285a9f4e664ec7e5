import { describe, expect, it } from 'vitest';
import { PerIpLimits } from './per-ip-limits.js';

describe('PerIpLimits', () => {
  it('refuses a nameless connection over the unnamed cap, and admits again once one registers', () => {
    const limits = new PerIpLimits({ maxConnsPerIp: 0, maxUnnamedPerIp: 2 });
    expect(limits.admit('192.0.2.1')).toBeUndefined();
    expect(limits.admit('192.0.2.1')).toBeUndefined();
    expect(limits.admit('192.0.2.1')).toBe('too many connections without a name from 192.0.2.1');
    expect(limits.admit('192.0.2.9')).toBeUndefined();
    limits.named('192.0.2.1');
    expect(limits.admit('192.0.2.1')).toBeUndefined();
    expect(limits.count('192.0.2.1')).toEqual({ open: 3, unnamed: 2 });
  });

  it('lets registered users of one address far outnumber the unnamed cap', () => {
    const limits = new PerIpLimits({ maxConnsPerIp: 0, maxUnnamedPerIp: 4 });
    for (let i = 0; i < 5000; i++) {
      expect(limits.admit('10.0.0.1')).toBeUndefined();
      limits.named('10.0.0.1');
    }
    expect(limits.count('10.0.0.1')).toEqual({ open: 5000, unnamed: 0 });
  });

  it('caps all connections of an address, named or not', () => {
    const limits = new PerIpLimits({ maxConnsPerIp: 3, maxUnnamedPerIp: 0 });
    for (let i = 0; i < 3; i++) {
      expect(limits.admit('10.0.0.1')).toBeUndefined();
      limits.named('10.0.0.1');
    }
    expect(limits.admit('10.0.0.1')).toBe('too many connections from 10.0.0.1');
    limits.release('10.0.0.1', true);
    expect(limits.admit('10.0.0.1')).toBeUndefined();
  });

  it.each([
    ['a named connection', true, { open: 1, unnamed: 1 }],
    ['an unnamed connection', false, { open: 1, unnamed: 0 }],
  ])('releases %s from the right counts', (_label, named, after) => {
    const limits = new PerIpLimits({ maxConnsPerIp: 0, maxUnnamedPerIp: 0 });
    limits.admit('10.0.0.1');
    limits.admit('10.0.0.1');
    limits.named('10.0.0.1');
    limits.release('10.0.0.1', named);
    expect(limits.count('10.0.0.1')).toEqual(after);
    limits.release('10.0.0.1', !named);
    expect(limits.count('10.0.0.1')).toEqual({ open: 0, unnamed: 0 });
  });
});
