import { describe, expect, test } from 'vitest';
import { KEY_REFERENCE } from './key-reference.js';
import { helpText, parseCli } from './cli-args.js';

const base = ['--server', '127.0.0.1:10000', '--name', 'alice'];

describe('parseCli', () => {
  test('defaults with no arguments: TUI, device audio, port 5001', () => {
    expect(parseCli([])).toEqual({
      kind: 'run',
      options: {
        udpPort: 5001,
        audioIn: 'device',
        audioOut: 'device',
        tui: true,
        autoAnswer: false,
        exitAfterCall: false,
        ringTimeoutMs: 30_000,
        silenceTimeoutMs: 5_000,
        history: true,
        secure: 'prefer',
      },
    });
  });

  test('a full headless command line', () => {
    const parsed = parseCli([
      ...base,
      '--udp-port=5002',
      '--audio-in',
      'tone:440',
      '--audio-out',
      'wav:/tmp/out.wav',
      '--no-tui',
      '--auto-answer',
      '--call',
      'Bob Smith',
      '--hangup-after',
      '2.5',
      '--exit-after-call',
      '--ring-timeout',
      '10',
      '--silence-timeout',
      '3',
      '--no-history',
    ]);
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        server: '127.0.0.1:10000',
        name: 'alice',
        udpPort: 5002,
        audioIn: 'tone:440',
        audioOut: 'wav:/tmp/out.wav',
        tui: false,
        autoAnswer: true,
        call: 'Bob Smith',
        hangupAfterMs: 2500,
        exitAfterCall: true,
        ringTimeoutMs: 10_000,
        silenceTimeoutMs: 3_000,
        history: false,
        secure: 'prefer',
      },
    });
  });

  test.each([
    [['--server', 'localhost'], 'localhost:10000'],
    [['--server', 'voip.example.org:12000'], 'voip.example.org:12000'],
    [['--server=10.0.0.1:1024'], '10.0.0.1:1024'],
    [['--server', '10.0.0.1:1024,voip.example.org'], '10.0.0.1:1024,voip.example.org:10000'],
    [['--server', 'a.example:1, b.example:2 ,c.example:3'], 'a.example:1,b.example:2,c.example:3'],
  ])('server %j -> %s', (argv, server) => {
    const parsed = parseCli(argv);
    expect(parsed.kind === 'run' && parsed.options.server).toBe(server);
  });

  test.each([
    [['--udp-port', '0'], 0],
    [['--udp-port', '65535'], 65535],
    [['--audio-out', 'null'], 5001],
  ])('accepts %j', (argv, udpPort) => {
    const parsed = parseCli(argv);
    expect(parsed.kind === 'run' && parsed.options.udpPort).toBe(udpPort);
  });

  test('--help wins over everything else', () => {
    expect(parseCli(['--bogus', '--help'])).toMatchObject({ kind: 'error', code: 'unknown-flag' });
    expect(parseCli(['--name', 'x', '--help'])).toEqual({ kind: 'help' });
    expect(parseCli(['-h', '--version'])).toEqual({ kind: 'help' });
    expect(parseCli(['--name', 'x', '--version'])).toEqual({ kind: 'version' });
    expect(parseCli(['-x'])).toMatchObject({ kind: 'error', code: 'unexpected-argument' });
  });

  test('a directory may listen below 1024', () => {
    expect(parseCli(['--server', 'voip.example.org:443'])).toMatchObject({ kind: 'run', options: { server: 'voip.example.org:443' } });
  });

  test.each<[string[], 'require' | 'prefer' | 'off']>([
    [[], 'prefer'],
    [['--classic-only'], 'off'],
    [['--require-secure'], 'require'],
    [[...base, '--no-tui', '--require-secure'], 'require'],
  ])('%j: secure %s', (argv, secure) => {
    expect(parseCli(argv)).toMatchObject({ kind: 'run', options: { secure } });
  });

  test('--help lists every key of the terminal UI, from the key table', () => {
    const text = helpText();
    const lines = text.split('\n');
    for (const row of KEY_REFERENCE) {
      expect(
        lines.some((line) => line.startsWith(`  ${row.keys} `) && line.includes(` ${row.where} `) && line.endsWith(` ${row.action}`)),
        row.keys,
      ).toBe(true);
    }
    expect(text).toContain('--no-history');
    expect(text).toMatch(/--require-secure +refuse to place or take a call that is not encrypted/);
  });

  test.each([
    [['--bogus'], 'unknown-flag'],
    [['alice'], 'unexpected-argument'],
    [['--name'], 'missing-value'],
    [['--name', '--no-tui'], 'missing-value'],
    [['--name', 'a', '--name', 'b'], 'repeated-flag'],
    [['--no-tui=yes'], 'flag-takes-no-value'],
    [['--require-secure=yes'], 'flag-takes-no-value'],
    [['--require-secure', '--classic-only'], 'conflicting-flags'],
    [['--server', ''], 'host-empty'],
    [['--server', '300.1.1.1:10000'], 'host-bad'],
    [['--server', '1.2.3:10000'], 'host-bad'],
    [['--server', 'bad_host:10000'], 'host-bad'],
    [['--server', 'localhost:abc'], 'port-not-number'],
    [['--server', 'localhost:0'], 'port-out-of-range'],
    [['--server', 'localhost:65536'], 'port-out-of-range'],
    [['--server', 'localhost:70000'], 'port-out-of-range'],
    [['--server', 'localhost:10000,'], 'host-empty'],
    [['--server', 'localhost:10000,bad_host'], 'host-bad'],
    [['--server', 'a.example,localhost:0'], 'port-out-of-range'],
    [['--name', ' alice'], 'name-edge-space'],
    [['--name', 'al!ce'], 'name-bad-character'],
    [['--name', 'x'.repeat(33)], 'name-too-long'],
    [['--name', ''], 'name-empty'],
    [['--udp-port', 'five'], 'port-not-number'],
    [['--udp-port', '80'], 'port-out-of-range'],
    [['--audio-in', 'null'], 'bad-audio-spec'],
    [['--audio-in', 'mic'], 'bad-audio-spec'],
    [['--audio-out', 'wav'], 'bad-audio-spec'],
    [['--audio-in', 'tone:loud'], 'bad-audio-spec'],
    [['--audio-in', 'tone:5000'], 'bad-audio-spec'],
    [['--audio-in', 'silence:1'], 'bad-audio-spec'],
    [['--audio-out', 'tone'], 'bad-audio-spec'],
    [['--audio-out', 'silence'], 'bad-audio-spec'],
    [['--ring-timeout', '0'], 'seconds-not-positive'],
    [['--ring-timeout', '-1'], 'seconds-not-number'],
    [['--silence-timeout', 'soon'], 'seconds-not-number'],
    [['--auto-answer'], 'needs-no-tui'],
    [['--exit-after-call'], 'needs-no-tui'],
    [['--call', 'bob'], 'needs-no-tui'],
    [['--hangup-after', '1'], 'needs-no-tui'],
    [['--no-tui', '--name', 'alice'], 'missing-server'],
    [['--no-tui', '--server', 'localhost'], 'missing-name'],
    [[...base, '--no-tui', '--call', 'b@d'], 'name-bad-character'],
  ])('%j is refused with %s', (argv, code) => {
    const parsed = parseCli(argv);
    expect(parsed).toMatchObject({ kind: 'error', code });
    if (parsed.kind === 'error') expect(parsed.message.length).toBeGreaterThan(0);
  });
});

describe('--server with several servers', () => {
  test('a bad server of a list is named by its place', () => {
    expect(parseCli(['--server', 'localhost:10000,bad_host'])).toMatchObject({ kind: 'error', code: 'host-bad', message: expect.stringContaining('server 2 of 2') });
  });
});
