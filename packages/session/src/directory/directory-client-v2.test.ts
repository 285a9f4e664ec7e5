// DirectoryClient as a v2 client on a real TCP socket: the REG bytes it sends, and the v and caps it reads back in GET, LIST and WATCH.
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { DEFAULT_DIRECTORY_CAPS } from '@voip/protocol';
import { DirectoryClient } from './directory-client.js';

const CAPS = '{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}';
const V2_BOB = `{"name":"bob","ip":"127.0.0.2","port":6002,"v":2,"caps":${CAPS}}`;
const CLASSIC_CAROL = '{"name":"carol","ip":"127.0.0.3","port":5001}';

/** A server on 127.0.0.1 that records the bytes it gets and answers each line as our server would answer a v2 asker. */
async function startServer(): Promise<{ port: number; received: () => string; close(): Promise<void> }> {
  let received = '';
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      pending += chunk.toString('utf8');
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
        const request = JSON.parse(pending.slice(0, at)) as Record<string, unknown>;
        pending = pending.slice(at + 1);
        const answers: Record<string, string> = {
          REG: '{"ack":"Registered successfully","v":2}\n',
          GET: request['name'] === 'bob' ? `{"ip":"127.0.0.2","port":6002,"v":2,"caps":${CAPS}}\n` : '{"ip":"127.0.0.3","port":5001}\n',
          LIST: `{"users":[${V2_BOB},${CLASSIC_CAROL}]}\n`,
          WATCH: `{"event":"presence","users":[${V2_BOB},${CLASSIC_CAROL}]}\n`,
        };
        socket.write(answers[String(request['command'])] ?? '{"ack":"Error","reason":"unknown command"}\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('DirectoryClient as a v2 client', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function connected() {
    const server = await startServer();
    cleanups.push(() => server.close());
    const client = await DirectoryClient.connect({ host: '127.0.0.1', port: server.port });
    cleanups.push(() => client.close());
    return { server, client };
  }

  test('register with { v: 2, caps } sends v and the caps in canonical form', async () => {
    const { server, client } = await connected();
    await client.register('alice', 6001, { v: 2, caps: DEFAULT_DIRECTORY_CAPS });
    expect(server.received()).toBe(`{"command":"REG","name":"alice","port":6001,"v":2,"caps":${CAPS}}\n`);
    expect(client.serverVersion).toBe(2);
  });

  test('register without options sends exactly the bytes of before v2', async () => {
    const { server, client } = await connected();
    await client.register('alice', 6001);
    expect(server.received()).toBe('{"command":"REG","name":"alice","port":6001,"v":1}\n');
  });

  test('register with v 2 and no caps sends only v; unknown caps fields are dropped', async () => {
    const { server, client } = await connected();
    await client.register('alice', 6001, { v: 2 });
    expect(server.received()).toBe('{"command":"REG","name":"alice","port":6001,"v":2}\n');
    const other = await connected();
    const caps = { formats: [{ frames: [960], rate: 48000, codec: 'OPUS', dtx: true }] } as unknown as typeof DEFAULT_DIRECTORY_CAPS;
    await other.client.register('alice', 6001, { v: 3, caps });
    expect(other.server.received()).toBe('{"command":"REG","name":"alice","port":6001,"v":3,"caps":{"formats":[{"codec":"OPUS","rate":48000,"frames":[960]}]}}\n');
  });

  test.each([
    ['v 0', { v: 0 }],
    ['a fractional v', { v: 2.5 }],
    ['caps with v 1', { v: 1, caps: DEFAULT_DIRECTORY_CAPS }],
    ['caps without formats', { v: 2, caps: { formats: [] } }],
    ['a frame size of 0', { v: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [0] }] } }],
  ])('refuses %s with a RangeError and sends nothing', async (_label, options) => {
    const { server, client } = await connected();
    await expect(client.register('alice', 6001, options)).rejects.toBeInstanceOf(RangeError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.received()).toBe('');
  });

  test('lookup, list and watch return the v and caps of v2 users, and none for classic ones', async () => {
    const { client } = await connected();
    await client.register('alice', 6001, { v: 2, caps: DEFAULT_DIRECTORY_CAPS });
    const caps = JSON.parse(CAPS) as unknown;
    expect(await client.lookup('bob')).toEqual({ name: 'bob', ip: '127.0.0.2', port: 6002, v: 2, caps });
    const carol = await client.lookup('carol');
    expect(carol).toEqual({ name: 'carol', ip: '127.0.0.3', port: 5001 });
    expect(Object.keys(carol ?? {})).toEqual(['name', 'ip', 'port']);
    const users = [
      { name: 'bob', ip: '127.0.0.2', port: 6002, v: 2, caps },
      { name: 'carol', ip: '127.0.0.3', port: 5001 },
    ];
    expect(await client.list()).toEqual(users);
    expect(await client.watch()).toEqual(users);
  });
});
