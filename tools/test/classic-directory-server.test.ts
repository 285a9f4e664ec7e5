// The classic directory server double over real TCP on 127.0.0.1: each rule of the
// reference server (docs/protocol.md, "The classic server") and the program's CLI.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startClassicDirectoryServer, type ClassicDirectoryServer } from '../index.mjs';
import { RawTcpClient } from './support/raw-tcp-client.js';

const REGISTERED = '{"ack": "Registered successfully"}';
const TAKEN = '{"ack": "Error Registering"}';
const req = (o: Record<string, unknown>) => JSON.stringify(o);
/** How long a connection must stay quiet to count as silent. */
const QUIET_MS = 250;

let server: ClassicDirectoryServer;
const conns: RawTcpClient[] = [];

async function open(localAddress?: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.open(server.port, localAddress);
  conns.push(c);
  // Accepted (and so the server's newest connection) before the test goes on.
  await waitUntil(() => server.log.filter((e) => e.event === 'connection').length >= conns.length);
  return c;
}

async function waitUntil(done: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function registered(name: string, localAddress?: string): Promise<RawTcpClient> {
  const c = await open(localAddress);
  c.write(req({ command: 'REG', name }));
  await c.expectReply(REGISTERED);
  return c;
}

/** Asserts `c`'s handler has stopped: no reply while it is the newest connection, closed once another connects. */
async function expectStoppedWhileNewest(c: RawTcpClient, probe = req({ command: 'GET', name: 'x' })): Promise<void> {
  expect(await c.silentFor(QUIET_MS)).toBe(true);
  c.write(probe);
  expect(await c.silentFor(QUIET_MS), 'a stopped handler reads nothing more').toBe(true);
  await open();
  await c.waitClosed();
  expect(c.received).not.toContain('"ip"');
}

beforeEach(async () => {
  server = await startClassicDirectoryServer();
});

afterEach(async () => {
  for (const c of conns.splice(0)) c.destroy();
  await server.close();
});

describe('replies', () => {
  test('REG and GET answer Python json.dumps bytes, no newline; GET has no port; unknown names are "None"', async () => {
    const alice = await registered('alice');
    expect(alice.received).toBe(REGISTERED);
    alice.write(req({ command: 'GET', name: 'alice' }));
    await alice.expectReply('{"ip": "127.0.0.1"}');
    alice.write(req({ command: 'GET', name: 'nobody' }));
    await alice.expectReply('{"ip": "None"}');
    expect(await alice.silentFor(100)).toBe(true);
  });

  test('the IP stored is the TCP source address', async () => {
    await registered('bob', '127.0.0.2');
    const alice = await registered('alice');
    alice.write(req({ command: 'GET', name: 'bob' }));
    await alice.expectReply('{"ip": "127.0.0.2"}');
    expect(server.users).toEqual(
      new Map([
        ['bob', '127.0.0.2'],
        ['alice', '127.0.0.1'],
      ]),
    );
  });

  test('REG of a name already registered is "Error Registering"; names compare exactly, case-sensitively', async () => {
    await registered('alice');
    const other = await open();
    other.write(req({ command: 'REG', name: 'alice' }));
    await other.expectReply(TAKEN);
    other.write(req({ command: 'REG', name: 'Alice' }));
    await other.expectReply(REGISTERED);
    other.write(req({ command: 'REG', name: 'alice ' }));
    await other.expectReply(REGISTERED);
    other.write(req({ command: 'GET', name: 'ALICE' }));
    await other.expectReply('{"ip": "None"}');
    expect([...server.users.keys()]).toEqual(['alice', 'Alice', 'alice ']);
  });

  test('a REG carrying "v" and "port" is answered like any other: no "v" comes back', async () => {
    const alice = await open();
    alice.write(req({ command: 'REG', name: 'alice', port: 6001, v: 1 }));
    await alice.expectReply(REGISTERED);
  });
});

describe('one recv(1024) per request, parsed whole', () => {
  test('two objects in one read raise: the connection goes silent', async () => {
    const alice = await open();
    alice.write(req({ command: 'REG', name: 'alice' }) + req({ command: 'GET', name: 'alice' }));
    await expectStoppedWhileNewest(alice);
    expect(server.users.size).toBe(0);
  });

  test('one object split across reads raises', async () => {
    const alice = await open();
    const bytes = req({ command: 'REG', name: 'alice' });
    alice.write(bytes.slice(0, 10));
    await waitUntil(() => server.log.some((e) => e.event === 'request'));
    alice.write(bytes.slice(10));
    await expectStoppedWhileNewest(alice);
    expect(server.log.find((e) => e.event === 'request')).toMatchObject({ bytes: bytes.slice(0, 10), raised: 'JSONDecodeError' });
  });

  test('buffered bytes are taken 1024 at a time, each take parsed alone', async () => {
    const alice = await open();
    // A first request padded with whitespace (json.loads allows it) to exactly 1024 bytes, and a second one, in one write.
    const first = req({ command: 'REG', name: 'alice' }).padEnd(1024, ' ');
    const second = req({ command: 'GET', name: 'alice' });
    alice.write(first + second);
    await alice.expectReply(REGISTERED + '{"ip": "127.0.0.1"}');
    expect(server.log.filter((e) => e.event === 'request').map((e) => (e as { bytes: string }).bytes)).toEqual([first, second]);
  });

  test('a request over 1024 bytes raises on its first 1024', async () => {
    const alice = await open();
    alice.write(req({ command: 'REG', name: 'a'.repeat(1100) }));
    await expectStoppedWhileNewest(alice);
    expect(server.users.size).toBe(0);
  });

  test('bytes that are not UTF-8, or JSON that is not an object, raise and delete nothing', async () => {
    await registered('alice');
    for (const bytes of [Buffer.from([0xff, 0xfe]), Buffer.from('["alice"]'), Buffer.from('"alice"'), Buffer.from('null')]) {
      const c = await open();
      c.write(bytes);
      await expectStoppedWhileNewest(c);
    }
    expect(server.users.has('alice')).toBe(true);
  });
});

describe('what raises, and what stopping does', () => {
  test('a request without "name" raises (LIST, WATCH), and deletes nothing', async () => {
    const alice = await registered('alice');
    alice.write(req({ command: 'LIST' }));
    await expectStoppedWhileNewest(alice);
    expect(server.users.has('alice')).toBe(true);
  });

  test('a stopped handler that is not the newest connection has its socket closed at once', async () => {
    const alice = await registered('alice');
    const bob = await registered('bob');
    alice.write(req({ command: 'WATCH' }));
    await alice.waitClosed();
    bob.write(req({ command: 'GET', name: 'alice' }));
    await bob.expectReply('{"ip": "127.0.0.1"}');
  });

  test('the newest connection stays open and silent until the next one connects', async () => {
    const alice = await registered('alice');
    alice.write(req({ command: 'LIST' }));
    expect(await alice.silentFor(QUIET_MS * 2)).toBe(true);
    const bob = await open();
    await alice.waitClosed();
    bob.write(req({ command: 'GET', name: 'alice' }));
    await bob.expectReply('{"ip": "127.0.0.1"}');
  });

  test('an unknown command that has a "name" gets the previous reply again', async () => {
    const alice = await registered('alice');
    alice.write(req({ command: 'LIST', name: 'alice' }));
    await alice.expectReply(REGISTERED);
    alice.write(req({ command: 'GET', name: 'nobody' }));
    await alice.expectReply('{"ip": "None"}');
    alice.write(req({ command: 'PING', name: 'alice', v: 1 }));
    await alice.expectReply('{"ip": "None"}');
  });

  test('an unknown command as the first request raises, and deletes the name it carries', async () => {
    await registered('alice');
    const stranger = await open();
    stranger.write(req({ command: 'LIST', name: 'alice' }));
    await expectStoppedWhileNewest(stranger);
    expect(server.users.has('alice')).toBe(false);
    expect(server.log.filter((e) => e.event === 'request').at(-1)).toMatchObject({ raised: 'UnboundLocalError', deleted: 'alice' });
  });

  test('a request with a "name" but no "command" raises and deletes that name', async () => {
    const alice = await registered('alice');
    alice.write(req({ name: 'alice' }));
    await expectStoppedWhileNewest(alice);
    expect(server.users.size).toBe(0);
  });
});

describe('names leave only by DISCONNECT', () => {
  test('DISCONNECT removes the name, answers the previous reply again, and the connection reads on', async () => {
    const alice = await registered('alice');
    alice.write(req({ command: 'DISCONNECT', name: 'alice' }));
    await alice.expectReply(REGISTERED);
    expect(server.users.has('alice')).toBe(false);
    alice.write(req({ command: 'GET', name: 'alice' }));
    await alice.expectReply('{"ip": "None"}');
  });

  test('DISCONNECT as the first request deletes the name, then raises', async () => {
    await registered('alice');
    const c = await open();
    c.write(req({ command: 'DISCONNECT', name: 'alice' }));
    await expectStoppedWhileNewest(c);
    expect(server.users.has('alice')).toBe(false);
  });

  test('a closed connection leaves its name listed', async () => {
    const alice = await registered('alice');
    alice.destroy();
    // The end of stream is an empty recv: json.loads('') raises, and nothing is deleted.
    await waitUntil(() => server.log.some((e) => e.event === 'request' && e.bytes === '' && e.raised === 'JSONDecodeError'));
    const bob = await registered('bob');
    bob.write(req({ command: 'GET', name: 'alice' }));
    await bob.expectReply('{"ip": "127.0.0.1"}');
    const again = await open();
    again.write(req({ command: 'REG', name: 'alice' }));
    await again.expectReply(TAKEN);
  });
});

describe('quirks of the SQL built from names', () => {
  test('a name holding a double quote breaks REG\'s query: {"ack": "Error"}', async () => {
    const c = await open();
    c.write(req({ command: 'REG', name: 'say "hi"' }));
    await c.expectReply('{"ack": "Error"}');
    expect(server.users.size).toBe(0);
  });

  test('"username" is a column to SQLite: taken once anyone is registered, and its DISCONNECT empties the table', async () => {
    const alice = await registered('alice');
    alice.write(req({ command: 'REG', name: 'username' }));
    await alice.expectReply(TAKEN);
    alice.write(req({ command: 'DISCONNECT', name: 'username' }));
    await alice.expectReply(TAKEN);
    expect(server.users.size).toBe(0);
  });
});
