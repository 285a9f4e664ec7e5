// The keep-alive of a v2 client against real sockets on a manual clock: PING after a quiet spell, never to a classic server, the server given up when PONG does not come.
import { afterEach, describe, expect, test } from 'vitest';
import { createManualClock, type ManualClock } from '@voip/clock';
import { DEFAULT_DIRECTORY_CAPS, KEEPALIVE_IDLE_MS } from '@voip/protocol';
import { DirectoryClient } from '../../src/directory/directory-client.js';
import { startScriptedDirectoryServer, waitUntil, type ScriptedConnection, type ScriptedDirectoryServer } from './scripted-directory-server.js';

const line = (message: unknown) => `${JSON.stringify(message)}\n`;
const TIMEOUT_MS = 3000;

/** Our server (REG answered with `v`), or a classic one (no `v`, no newline); PING answered only when `pong`. */
function server(kind: 'ours' | 'classic', pong = true) {
  return (request: Record<string, unknown>, connection: ScriptedConnection): void => {
    switch (request['command']) {
      case 'REG':
        connection.send(kind === 'ours' ? line({ ack: 'Registered successfully', v: 2 }) : JSON.stringify({ ack: 'Registered successfully' }));
        return;
      case 'GET':
        connection.send(kind === 'ours' ? line({ ip: 'None' }) : JSON.stringify({ ip: 'None' }));
        return;
      case 'PING':
        if (pong) connection.send(line({ ack: 'PONG' }));
        return;
    }
  };
}

const pings = (s: ScriptedDirectoryServer) => s.connections[0]!.requests.filter((r) => r['command'] === 'PING').length;

describe('the directory keep-alive', () => {
  let scripted: ScriptedDirectoryServer | undefined;
  let client: DirectoryClient | undefined;
  let clock: ManualClock;

  async function setUp(kind: 'ours' | 'classic', v: 1 | 2, pong = true): Promise<DirectoryClient> {
    clock = createManualClock(0);
    scripted = await startScriptedDirectoryServer(server(kind, pong));
    client = await DirectoryClient.connect({ host: '127.0.0.1', port: scripted.port, clock, requestTimeoutMs: TIMEOUT_MS });
    await client.register('alice', 6001, v === 2 ? { v: 2, caps: DEFAULT_DIRECTORY_CAPS } : { v: 1 });
    return client;
  }

  /** Advances the manual clock, then lets the sockets carry what it set off. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  afterEach(async () => {
    client?.close();
    client = undefined;
    await scripted?.close();
    scripted = undefined;
  });

  test('a v2 client on our server sends PING after KEEPALIVE_IDLE_MS of quiet, and again after each quiet spell; PONG keeps it open', async () => {
    const c = await setUp('ours', 2);
    expect(c.keepAlive).toBe(true);
    await advance(KEEPALIVE_IDLE_MS - 1);
    expect(pings(scripted!)).toBe(0);
    await advance(1);
    await waitUntil(() => pings(scripted!) === 1);
    for (let i = 2; i <= 4; i++) {
      await advance(KEEPALIVE_IDLE_MS);
      await waitUntil(() => pings(scripted!) === i);
    }
    expect(scripted!.connections[0]!.requests.at(-1)).toEqual({ command: 'PING' });
    expect(c.closed).toBe(false);
  });

  test('any request restarts the quiet spell', async () => {
    const c = await setUp('ours', 2);
    await advance(KEEPALIVE_IDLE_MS - 1000);
    await c.lookup('bob');
    await advance(KEEPALIVE_IDLE_MS - 1);
    expect(pings(scripted!)).toBe(0);
    await advance(1);
    await waitUntil(() => pings(scripted!) === 1);
  });

  test.each<['ours' | 'classic', 1 | 2]>([
    ['classic', 2],
    ['ours', 1],
  ])('never a PING to a %s server from a client registered with v %s', async (kind, v) => {
    const c = await setUp(kind, v);
    expect(c.keepAlive).toBe(false);
    for (let i = 0; i < 6; i++) await advance(KEEPALIVE_IDLE_MS);
    await c.lookup('bob');
    expect(scripted!.connections[0]!.requests.map((r) => r['command'] ?? r['cmd'])).toEqual(['REG', 'GET']);
    expect(c.closed).toBe(false);
  });

  test('a PING not answered within the request timeout: the connection is closed and reported lost', async () => {
    const c = await setUp('ours', 2, false);
    const closes: { reason: string; expected: boolean }[] = [];
    c.on('close', (info) => closes.push(info));
    await advance(KEEPALIVE_IDLE_MS);
    await waitUntil(() => pings(scripted!) === 1);
    await advance(TIMEOUT_MS - 1);
    expect(c.closed).toBe(false);
    await advance(1);
    expect(c.closed).toBe(true);
    expect(closes).toHaveLength(1);
    expect(closes[0]!.expected).toBe(false);
    await expect(c.lookup('bob')).rejects.toMatchObject({ code: 'connection-closed' });
    await waitUntil(() => scripted!.connections[0]!.socket.destroyed || scripted!.connections[0]!.socket.readableEnded);
  });
});
