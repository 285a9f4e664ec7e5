// The lab's pure parts: nftables rule text for bad options, and the check for missing programs.
import { describe, expect, test } from 'vitest';
import { readUdpDatagrams, requireTool } from '../index.mjs';
import { impairRuleset, spoofRuleset } from '../netns/nft-rules.mjs';

describe('requireTool', () => {
  test('a program on the path passes; a missing one says to run the install script', () => {
    expect(() => requireTool('sh')).not.toThrow();
    expect(() => requireTool('nft', '/nonexistent')).toThrow(
      expect.objectContaining({ name: 'NetnsToolMissingError', code: 'netns-tool-missing', tool: 'nft', aptPackage: 'nftables' }),
    );
    expect(() => requireTool('tcpdump', '/nonexistent')).toThrow(/run tools\/install-test-deps\.sh/);
  });
});

describe('nftables rule sets', () => {
  test('impair: 12.5% is drawn at a 0.01% resolution; 100% drops without drawing', () => {
    expect(impairRuleset('t', { dropPercent: 12.5 })).toContain('meta l4proto udp numgen random mod 10000 < 1250 counter drop comment "dropped"');
    expect(impairRuleset('t', { dropPercent: 100, direction: { to: '10.0.0.0/8' } })).toContain('meta l4proto udp ip daddr 10.0.0.0/8 counter drop comment "dropped"');
    expect(impairRuleset('t', { dropPercent: 10, exceptInterface: 'to-attacker' })).toContain(
      'meta l4proto udp iifname != "to-attacker" numgen random mod 10000 < 1000 counter drop',
    );
  });
  test.each([
    [{ dropPercent: 101 }, 'dropPercent'],
    [{ dropPercent: 5, protocol: 'icmp' }, 'protocol'],
    [{ dropPercent: 5, hook: 'prerouting' }, 'hook'],
    [{ dropPercent: 5, direction: {} }, 'direction'],
    [{ dropPercent: 5, direction: { from: '10.0.0.1; flush ruleset' } }, 'direction.from'],
    [{ dropPercent: 5, exceptInterface: 'a" b' }, 'exceptInterface'],
    [{ dropPercent: 5, hook: 'output', exceptInterface: 'to-attacker' }, 'exceptInterface'],
  ])('impair rejects %j', (options, option) => {
    expect(() => impairRuleset('t', options as never)).toThrow(expect.objectContaining({ code: 'bad-nft-rule', option }));
  });
  test('spoof rejects a bad interface, address or port', () => {
    const ok = { interface: 'to-attacker', as: { address: '10.0.0.2', port: 5004 }, to: { address: '10.0.1.2', port: 6000 } };
    expect(spoofRuleset('t', ok)).toContain('ip saddr set 10.0.0.2 udp sport set 5004');
    expect(() => spoofRuleset('t', { ...ok, interface: 'a" b' })).toThrow(expect.objectContaining({ option: 'interface' }));
    expect(() => spoofRuleset('t', { ...ok, as: { address: '10.0.0.0/24', port: 1 } })).toThrow(expect.objectContaining({ option: 'as.address' }));
    expect(() => spoofRuleset('t', { ...ok, to: { address: '10.0.1.2', port: 0 } })).toThrow(expect.objectContaining({ option: 'to.port' }));
  });
});

describe('readUdpDatagrams', () => {
  test('bytes that are no capture give a PcapFormatError', () => {
    expect(() => readUdpDatagrams(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(expect.objectContaining({ code: 'bad-capture' }));
  });
});
