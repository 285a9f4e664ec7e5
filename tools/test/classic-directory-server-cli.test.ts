// The classic directory server double as a program: `--host H --port P`, one JSON log
// line per thing it does on stdout, a clean stop on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, expect, test } from 'vitest';
import { CLASSIC_SERVER_BIN, parseClassicServerArgs } from '../index.mjs';
import { RawTcpClient } from './support/raw-tcp-client.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the program; returns it with its parsed stdout lines (growing) and a waiter for a line matching a predicate. */
function start(args: string[]) {
  const child = spawn(process.execPath, [CLASSIC_SERVER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of waiters.splice(0)) w();
  });
  const line = (match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching line; got ${JSON.stringify(lines)}`)), 5000);
      const check = () => {
        const found = lines.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return { child, lines, line };
}

test('listens where told, logs each connection and request as a JSON line, stops with exit 0 on SIGTERM', async () => {
  const server = start(['--host', '127.0.0.1', '--port', '0']);
  const listening = await server.line((l) => l.event === 'listening');
  expect(listening).toEqual({ event: 'listening', host: '127.0.0.1', port: expect.any(Number) });
  const c = await RawTcpClient.open(listening.port as number);
  c.write('{"command": "REG", "name": "alice"}');
  await c.expectReply('{"ack": "Registered successfully"}');
  c.write('{"command": "LIST"}');
  expect(await server.line((l) => l.event === 'request' && l.raised !== undefined)).toEqual({
    event: 'request',
    conn: 1,
    bytes: '{"command": "LIST"}',
    request: { command: 'LIST' },
    raised: 'KeyError',
  });
  expect(server.lines.filter((l) => l.event === 'request')[0]).toMatchObject({ request: { command: 'REG', name: 'alice' }, reply: '{"ack": "Registered successfully"}' });
  c.destroy();
  const exit = new Promise((resolve) => server.child.once('exit', (code, signal) => resolve({ code, signal })));
  server.child.kill('SIGTERM');
  expect(await exit).toEqual({ code: 0, signal: null });
});

test.each([
  [['--port'], /--port needs a value/],
  [['--port', 'x'], /--port must be/],
  [['--port', '70000'], /--port must be/],
  [['--bind', '1.2.3.4'], /unknown argument --bind/],
])('refuses %j with exit 64 and the reason on stderr', (args, reason) => {
  const run = spawnSync(process.execPath, [CLASSIC_SERVER_BIN, ...args], { encoding: 'utf8' });
  expect(run.status).toBe(64);
  expect(run.stderr).toMatch(reason);
});

test('defaults to 127.0.0.1:10000 like the reference port', () => {
  expect(parseClassicServerArgs([])).toEqual({ host: '127.0.0.1', port: 10000 });
  expect(parseClassicServerArgs(['--port', '0', '--host', '10.0.0.1'])).toEqual({ host: '10.0.0.1', port: 0 });
});
