// v2 negotiation through the directory on real sockets, on every backend: v2 askers see v and caps, everyone else the classic bytes.
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '@voip/registry';
import { startDirectoryServer, type DirectoryServer } from '../src/server.js';
import { BACKENDS, type TestBackend } from './support/backends.js';
import { startTestPostgres, type TestPostgres } from './support/postgres.js';
import { eventually } from './support/tcp-client.js';

let postgres: Promise<TestPostgres> | undefined;
let databases = 0;
afterAll(async () => {
  await (await postgres?.catch(() => undefined))?.stop();
});

const ALL_BACKENDS: readonly { readonly name: string; open(): Promise<TestBackend> }[] = [
  ...BACKENDS,
  {
    name: 'postgres',
    async open() {
      postgres ??= startTestPostgres();
      const cluster = await postgres;
      const database = `v2_${++databases}`;
      await cluster.query(`create database ${database}`);
      const registry = await openPostgresRegistry({ pool: cluster.url(database), serverId: 'test' });
      return { registry, dispose: () => registry.close() };
    },
  },
];

const CAPS = '{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}';

/** A raw connection that reads the server's bytes line by line, exactly as they arrive. */
interface LineClient {
  readonly socket: Socket;
  /** Writes `text` as is and resolves with the next line, `\n` included. */
  exchange(text: string): Promise<string>;
  /** The next line. */
  next(): Promise<string>;
}

describe.each(ALL_BACKENDS)('v2 directory entries ($name)', (backendKind) => {
  let backend: TestBackend;
  let server: DirectoryServer;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    backend = await backendKind.open();
    server = await startDirectoryServer({ port: 0, registry: backend.registry });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server.close();
    await backend.dispose();
  });

  async function client(localAddress = '127.0.0.1'): Promise<LineClient> {
    const socket = connect({ host: '127.0.0.1', port: server.address.port, localAddress });
    sockets.push(socket);
    socket.on('error', () => {});
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let buffered = '';
    socket.on('data', (chunk: Buffer) => (buffered += chunk.toString('utf8')));
    const next = async (): Promise<string> => {
      await eventually(() => buffered.includes('\n'));
      const line = buffered.slice(0, buffered.indexOf('\n') + 1);
      buffered = buffered.slice(line.length);
      return line;
    };
    return {
      socket,
      next,
      exchange(text) {
        socket.write(text);
        return next();
      },
    };
  }

  /** Four users: alice v2 with caps, bob classic (bare json.dumps), carol v 1, dave v2 without caps. */
  async function population() {
    const alice = await client('127.0.0.1');
    expect(await alice.exchange(`{"command":"REG","name":"alice","port":6002,"v":2,"caps":${CAPS}}\n`)).toBe('{"ack":"Registered successfully","v":2}\n');
    const bob = await client('127.0.0.2');
    expect(await bob.exchange('{"cmd": "REG", "name": "bob", "port": 6003}')).toBe('{"ack":"Registered successfully"}\n');
    const carol = await client('127.0.0.3');
    expect(await carol.exchange('{"command":"REG","name":"carol","port":6004,"v":1}\n')).toBe('{"ack":"Registered successfully","v":2}\n');
    const dave = await client('127.0.0.4');
    expect(await dave.exchange('{"command":"REG","name":"dave","port":6005,"v":2}\n')).toBe('{"ack":"Registered successfully","v":2}\n');
    return { alice, bob, carol, dave };
  }

  const CLASSIC_LIST =
    '{"users":[{"name":"alice","ip":"127.0.0.1","port":6002},{"name":"bob","ip":"127.0.0.2","port":6003},{"name":"carol","ip":"127.0.0.3","port":6004},{"name":"dave","ip":"127.0.0.4","port":6005}]}\n';
  const V2_USERS = `[{"name":"alice","ip":"127.0.0.1","port":6002,"v":2,"caps":${CAPS}},{"name":"bob","ip":"127.0.0.2","port":6003},{"name":"carol","ip":"127.0.0.3","port":6004},{"name":"dave","ip":"127.0.0.4","port":6005,"v":2}]`;

  it('GET and LIST to a v2 asker carry v and caps of the users who registered them', async () => {
    const { alice, dave } = await population();
    expect(await alice.exchange('{"command":"GET","name":"ALICE"}\n')).toBe(`{"ip":"127.0.0.1","port":6002,"v":2,"caps":${CAPS}}\n`);
    expect(await alice.exchange('{"command":"GET","name":"bob"}\n')).toBe('{"ip":"127.0.0.2","port":6003}\n');
    expect(await alice.exchange('{"command":"GET","name":"carol"}\n')).toBe('{"ip":"127.0.0.3","port":6004}\n');
    expect(await alice.exchange('{"command":"GET","name":"dave"}\n')).toBe('{"ip":"127.0.0.4","port":6005,"v":2}\n');
    expect(await alice.exchange('{"command":"GET","name":"nobody"}\n')).toBe('{"ip":"None"}\n');
    expect(await alice.exchange('{"command":"LIST","name":"alice"}\n')).toBe(`{"users":${V2_USERS}}\n`);
    expect(await dave.exchange('{"command":"GET","name":"alice"}\n')).toBe(`{"ip":"127.0.0.1","port":6002,"v":2,"caps":${CAPS}}\n`);
  });

  it('classic and v 1 askers get exactly the classic bytes, whoever registered v2', async () => {
    const { bob, carol } = await population();
    for (const asker of [bob, carol]) {
      expect(await asker.exchange('{"cmd": "GET", "name": "alice"}')).toBe('{"ip":"127.0.0.1","port":6002}\n');
      expect(await asker.exchange('{"command":"GET","name":"dave"}\n')).toBe('{"ip":"127.0.0.4","port":6005}\n');
      expect(await asker.exchange('{"command":"LIST"}\n')).toBe(CLASSIC_LIST);
    }
    expect(await carol.exchange('{"command":"WATCH","name":"carol"}\n')).toBe(`{"event":"presence","users":${CLASSIC_LIST.slice('{"users":'.length)}`);
  });

  it('WATCH pushes each watcher its own view after every change', async () => {
    const { alice, bob } = await population();
    expect(await alice.exchange('{"command":"WATCH","name":"alice"}\n')).toBe(`{"event":"presence","users":${V2_USERS}}\n`);
    expect(await bob.exchange('{"command":"WATCH","name":"bob"}\n')).toBe(`{"event":"presence","users":${CLASSIC_LIST.slice('{"users":'.length)}`);
    const eve = await client('127.0.0.5');
    const eveCaps = '{"formats":[{"codec":"OPUS","rate":48000,"frames":[960]},{"codec":"L16","rate":8000,"frames":[160]}]}';
    // Unknown fields are dropped and the keys put in order; the unknown codec is kept.
    expect(
      await eve.exchange(
        '{"command":"REG","name":"eve","v":2,"caps":{"formats":[{"frames":[960],"codec":"OPUS","rate":48000,"dtx":true},{"codec":"L16","rate":8000,"frames":[160]}],"x":1}}\n',
      ),
    ).toBe('{"ack":"Registered successfully","v":2}\n');
    expect(await alice.next()).toBe(`{"event":"presence","users":${V2_USERS.slice(0, -1)},{"name":"eve","ip":"127.0.0.5","port":5001,"v":2,"caps":${eveCaps}}]}\n`);
    expect(await bob.next()).toBe(`{"event":"presence","users":${CLASSIC_LIST.slice('{"users":'.length, -3)},{"name":"eve","ip":"127.0.0.5","port":5001}]}\n`);
    const stored = await backend.registry.lookup('eve');
    expect(stored).toMatchObject({ version: 2, caps: JSON.parse(eveCaps) });
  });

  it('a REG with bad caps is refused with the reason and stores nothing; the connection may register again', async () => {
    const c = await client();
    expect(await c.exchange('{"command":"REG","name":"zoe","v":2,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[0]}]}}\n')).toBe(
      '{"ack":"Error Registering","reason":"\\"caps.formats[0].frames\\" must list 1-8 integers from 1 to 65535"}\n',
    );
    expect(await c.exchange('{"command":"REG","name":"zoe","v":1,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160]}]}}\n')).toBe(
      '{"ack":"Error Registering","reason":"\\"caps\\" needs \\"v\\" 2 or later"}\n',
    );
    expect(await c.exchange('{"command":"REG","name":"zoe","v":2,"caps":"L16"}\n')).toBe('{"ack":"Error Registering","reason":"\\"caps\\" must be an object"}\n');
    expect(await backend.registry.list()).toEqual([]);
    expect(await c.exchange(`{"command":"REG","name":"zoe","v":2,"caps":${CAPS}}\n`)).toBe('{"ack":"Registered successfully","v":2}\n');
    expect(await backend.registry.lookup('zoe')).toMatchObject({ version: 2, caps: JSON.parse(CAPS) });
  });
});
