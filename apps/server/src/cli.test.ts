import { describe, expect, it } from 'vitest';
import { DEFAULT_CLI_OPTIONS, parseServerArgs, type ServerCliOptions } from './cli.js';

function run(options: Partial<ServerCliOptions>) {
  return { ok: true, value: { kind: 'run', options: { ...DEFAULT_CLI_OPTIONS, ...options } } };
}

describe('parseServerArgs', () => {
  it('lets thousands of users share one address by default, and caps the nameless ones', () => {
    expect(DEFAULT_CLI_OPTIONS).toMatchObject({ maxConnsPerIp: 4096, maxUnnamedPerIp: 256, silenceLimitSeconds: 30, writeTimeoutSeconds: 30 });
  });

  it.each<[string[], unknown]>([
    [[], run({})],
    [['--port', '0'], run({ port: 0 })],
    [['--port=12345'], run({ port: 12345 })],
    [['--host', '127.0.0.1'], run({ host: '127.0.0.1' })],
    [['--db', 'memory'], run({ storage: { kind: 'memory' } })],
    [['--db', 'sqlite:/tmp/x.db'], run({ storage: { kind: 'sqlite', path: '/tmp/x.db' } })],
    [['--db=sqlite:a=b.db'], run({ storage: { kind: 'sqlite', path: 'a=b.db' } })],
    [['--db', 'postgres://voip@db.example:5433/voip'], run({ storage: { kind: 'postgres', url: 'postgres://voip@db.example:5433/voip' } })],
    [['--db=postgresql://x'], run({ storage: { kind: 'postgres', url: 'postgresql://x' } })],
    [['--db', 'postgres'], run({ storage: { kind: 'postgres', url: '' } })],
    [['--db', 'postgres', '--server-id', 'dir-1.example:10000'], run({ storage: { kind: 'postgres', url: '' }, serverId: 'dir-1.example:10000' })],
    [['--server-id=b', '--db=postgres'], run({ storage: { kind: 'postgres', url: '' }, serverId: 'b' })],
    [['--no-tui'], run({ tui: false })],
    [['--log', 'json'], run({ log: 'json' })],
    [['--rate-limit', '0', '--max-conns-per-ip', '0'], run({ rateLimit: 0, maxConnsPerIp: 0 })],
    [['--rate-limit', '500'], run({ rateLimit: 500 })],
    [['--idle-timeout', '5'], run({ idleTimeoutSeconds: 5 })],
    [['--max-unnamed-per-ip', '8'], run({ maxUnnamedPerIp: 8 })],
    [['--silence-limit', '5'], run({ silenceLimitSeconds: 5 })],
    [['--silence-limit=30', '--write-timeout', '0'], run({ silenceLimitSeconds: 30, writeTimeoutSeconds: 0 })],
    [['--silence-limit', '0'], run({ silenceLimitSeconds: 0 })],
    [['--help'], { ok: true, value: { kind: 'help' } }],
    [['--port', '1', '-h'], { ok: true, value: { kind: 'help' } }],
    [['--version'], { ok: true, value: { kind: 'version' } }],
    [['--port', '1', '--version'], { ok: true, value: { kind: 'version' } }],
  ])('%j', (argv, expected) => {
    expect(parseServerArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--port']],
    [['--port', 'abc']],
    [['--port', '65536']],
    [['--port', '-1']],
    [['--port', '1.5']],
    [['--db', 'mysql://x']],
    [['--db', 'postgres://u@h:port/db']],
    [['--db', 'postgres://u@h:99999/db']],
    [['--db', 'postgres:']],
    [['--db', 'sqlite:']],
    [['--log', 'xml']],
    [['--db', 'postgres', '--server-id', '']],
    [['--db', 'postgres', '--server-id', 'a/b']],
    [['--db', 'postgres', '--server-id', 'x'.repeat(129)]],
    [['--server-id', 'a']],
    [['--db', 'memory', '--server-id', 'a']],
    [['--rate-limit', 'fast']],
    [['--max-conns-per-ip', '']],
    [['--max-unnamed-per-ip', '-1']],
    [['--silence-limit', '31']],
    [['--silence-limit', '2.5']],
    [['--write-timeout', 'soon']],
    [['--host', '']],
    [['--verbose']],
    [['serve']],
    [['--no-tui=yes']],
    [['--version=1']],
    [['-v']],
  ])('refuses %j with a usage error', (argv) => {
    const result = parseServerArgs(argv);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('usage');
      expect(result.detail.length).toBeGreaterThan(0);
    }
  });
});
