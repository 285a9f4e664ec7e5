// Tests of the directory client reading a reply stream split at every point.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { DirectoryUser } from '@voip/protocol';
import { DirectoryClient } from '../../src/directory/directory-client.js';
import { FakeSocket } from './fake-socket.js';

const BOB: DirectoryUser = { name: 'bob', ip: '10.0.0.2', port: 6002 };
const CAROL: DirectoryUser = { name: 'carol é', ip: '10.0.0.3', port: 5001 };

// Replies to REG, WATCH, GET bob, LIST, with presence pushes around them; some
// newline-ended (our server), some bare (a classic server).
const STREAM =
  '{"ack": "Registered successfully", "v": 1}' +
  '{"event":"presence","users":[]}\n' +
  '{"event":"presence","users":[{"name":"bob","ip":"10.0.0.2","port":6002}]}\n' +
  '{"ip": "10.0.0.2", "port": 6002}' +
  '{"event":"presence","users":[{"name":"carol é","ip":"10.0.0.3"}]}\n' +
  '{"users":[{"name":"bob","ip":"10.0.0.2","port":6002},{"name":"carol é","ip":"10.0.0.3","port":5001}]}\n';
const BYTES = Buffer.from(STREAM, 'utf8');

interface Seen {
  readonly results: unknown[];
  readonly presence: DirectoryUser[][];
  readonly written: string[];
}

/** Runs the four requests over a fake socket fed with `chunks`. */
async function run(chunks: Buffer[]): Promise<Seen> {
  const socket = new FakeSocket(false);
  const client = await DirectoryClient.connect({ host: '127.0.0.1', port: 10000, createSocket: () => socket });
  const presence: DirectoryUser[][] = [];
  client.on('presence', (users) => presence.push(users));
  const all = Promise.all([client.register('alice', 6001), client.watch(), client.lookup('bob'), client.list()]);
  for (const chunk of chunks) socket.emit('data', chunk);
  const results = await all;
  client.close();
  return { results, presence, written: socket.written };
}

const EXPECTED: Seen = {
  results: [undefined, [], BOB, [BOB, CAROL]],
  presence: [[], [BOB], [CAROL]],
  written: [
    '{"command":"REG","name":"alice","port":6001,"v":1}\n',
    '{"command":"WATCH","name":"alice"}\n',
    '{"command":"GET","name":"bob"}\n',
    '{"command":"LIST","name":"alice"}\n',
  ],
};

describe('DirectoryClient reading a stream split anywhere', () => {
  test('the whole stream in one chunk', async () => {
    expect(await run([BYTES])).toEqual(EXPECTED);
  });

  test('split in two at every byte', async () => {
    for (let at = 1; at < BYTES.length; at++) {
      expect(await run([BYTES.subarray(0, at), BYTES.subarray(at)]), `split at byte ${at}`).toEqual(EXPECTED);
    }
  });

  test('byte by byte', async () => {
    expect(await run([...BYTES].map((b) => Buffer.from([b])))).toEqual(EXPECTED);
  });

  test('split at random points', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: BYTES.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), BYTES.length];
        const chunks = points.slice(1).map((end, i) => BYTES.subarray(points[i], end));
        expect(await run(chunks)).toEqual(EXPECTED);
      }),
      { numRuns: 200 },
    );
  });
});
