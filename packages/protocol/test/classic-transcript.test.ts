import { describe, expect, test } from 'vitest';
import { createJsonDeframer, decodeDirectoryReply, decodeDirectoryRequest, type DeframeResult } from '../src/index.js';

const utf8 = new TextEncoder();

/** A classic client writes bare `json.dumps(...)` bytes: ", " and ": " separators, no newline. */
const CLIENT_STREAM = utf8.encode('{"cmd": "REG", "name": "Client A"}{"command": "GET", "name": "Client B"}{"command": "DISCONNECT", "name": "Client A"}');

/** The reference server answered with no newline either. */
const SERVER_STREAM = utf8.encode('{"ack": "Registered successfully"}{"ip": "127.0.0.1"}{"ip": "None"}{"ack": "Error Registering"}');

function everySplit(stream: Uint8Array): DeframeResult[][] {
  const runs: DeframeResult[][] = [];
  for (let a = 0; a <= stream.length; a++) {
    for (const b of [a, Math.min(stream.length, a + 1), Math.min(stream.length, a + 7)]) {
      const deframer = createJsonDeframer();
      runs.push([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)].flatMap((chunk) => deframer.push(chunk)));
    }
  }
  return runs;
}

describe('a classic session, cut at every byte boundary', () => {
  test('the client side decodes to the same requests', () => {
    const expected = [
      { ok: true, value: { command: 'REG', name: 'Client A' } },
      { ok: true, value: { command: 'GET', name: 'Client B' } },
      { ok: true, value: { command: 'DISCONNECT', name: 'Client A' } },
    ];
    for (const run of everySplit(CLIENT_STREAM)) {
      expect(run.map((r) => (r.ok ? decodeDirectoryRequest(r.value) : r))).toEqual(expected);
    }
  });

  test('the server side decodes to the same replies', () => {
    const expected = [
      { ok: true, value: { kind: 'ack', ack: 'Registered successfully' } },
      { ok: true, value: { kind: 'address', user: { name: 'Client B', ip: '127.0.0.1', port: 5001 } } },
      { ok: true, value: { kind: 'address', user: null } },
      { ok: true, value: { kind: 'ack', ack: 'Error Registering' } },
    ];
    for (const run of everySplit(SERVER_STREAM)) {
      expect(run.map((r) => (r.ok ? decodeDirectoryReply(r.value, 'Client B') : r))).toEqual(expected);
    }
  });
});
