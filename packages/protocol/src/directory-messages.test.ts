// Tests of the directory message codecs, golden bytes included.
import { describe, expect, test } from 'vitest';
import { ACK, REASON } from './directory-texts.js';
import {
  decodeDirectoryReply,
  decodeDirectoryRequest,
  deframeErrorReason,
  encodeDirectoryBytes,
  encodeDirectoryMessage,
  registeredPort,
  requestCommand,
  type DirectoryReply,
  type DirectoryRequest,
} from './directory-messages.js';
import { DIRECTORY_VERSION } from './constants.js';
import { createJsonDeframer } from './json-deframer.js';

const L16_CAPS = { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] };

/** Golden wire text of each message we send: compact JSON, keys in this order, one `\n`. */
const GOLDEN: ReadonlyArray<readonly [string, DirectoryRequest | DirectoryReply, string]> = [
  ['REG', { command: 'REG', name: 'Client A' }, '{"command":"REG","name":"Client A"}\n'],
  ['REG with port and version', { command: 'REG', name: 'bob', port: 5002, v: 2 }, '{"command":"REG","name":"bob","port":5002,"v":2}\n'],
  ['GET', { command: 'GET', name: 'bob' }, '{"command":"GET","name":"bob"}\n'],
  ['LIST', { command: 'LIST' }, '{"command":"LIST"}\n'],
  ['WATCH', { command: 'WATCH' }, '{"command":"WATCH"}\n'],
  ['LIST naming the client', { command: 'LIST', name: 'bob' }, '{"command":"LIST","name":"bob"}\n'],
  ['WATCH naming the client', { command: 'WATCH', name: 'bob' }, '{"command":"WATCH","name":"bob"}\n'],
  ['DISCONNECT', { command: 'DISCONNECT', name: 'bob' }, '{"command":"DISCONNECT","name":"bob"}\n'],
  ['PING', { command: 'PING' }, '{"command":"PING"}\n'],
  ['registered', { ack: ACK.registered }, '{"ack":"Registered successfully"}\n'],
  ['registered, with the server version', { ack: ACK.registered, v: DIRECTORY_VERSION }, '{"ack":"Registered successfully","v":2}\n'],
  [
    'v2 REG with caps',
    { command: 'REG', name: 'alice', port: 5002, v: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] } },
    '{"command":"REG","name":"alice","port":5002,"v":2,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}}\n',
  ],
  [
    'GET to a v2 asker: a v2 user',
    { ip: '127.0.0.1', port: 5002, v: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] } },
    '{"ip":"127.0.0.1","port":5002,"v":2,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}}\n',
  ],
  [
    'LIST to a v2 asker: a v2 user and a classic one',
    {
      users: [
        { name: 'alice', ip: '127.0.0.1', port: 5002, v: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] } },
        { name: 'bob', ip: '127.0.0.2', port: 5001 },
      ],
    },
    '{"users":[{"name":"alice","ip":"127.0.0.1","port":5002,"v":2,"caps":{"formats":[{"codec":"L16","rate":8000,"frames":[160,512]}]}},{"name":"bob","ip":"127.0.0.2","port":5001}]}\n',
  ],
  ['register failed', { ack: ACK.registerFailed, reason: REASON.nameTaken }, '{"ack":"Error Registering","reason":"name already taken"}\n'],
  ['error', { ack: ACK.error, reason: REASON.unknownCommand }, '{"ack":"Error","reason":"unknown command"}\n'],
  ['server failure', { ack: ACK.error }, '{"ack":"Error"}\n'],
  ['disconnected', { ack: ACK.disconnected }, '{"ack":"Disconnected"}\n'],
  ['pong', { ack: ACK.pong }, '{"ack":"PONG"}\n'],
  ['GET: nobody', { ip: 'None' }, '{"ip":"None"}\n'],
  ['GET: address', { ip: '127.0.0.1', port: 5001 }, '{"ip":"127.0.0.1","port":5001}\n'],
  [
    'LIST',
    {
      users: [
        { name: 'alice', ip: '127.0.0.1', port: 5001 },
        { name: 'bob', ip: '127.0.0.2', port: 5002 },
      ],
    },
    '{"users":[{"name":"alice","ip":"127.0.0.1","port":5001},{"name":"bob","ip":"127.0.0.2","port":5002}]}\n',
  ],
  ['presence', { event: 'presence', users: [] }, '{"event":"presence","users":[]}\n'],
];

describe('encodeDirectoryMessage and encodeDirectoryBytes', () => {
  test.each(GOLDEN)('%s encodes to its golden bytes', (_label, message, wire) => {
    expect(encodeDirectoryMessage(message)).toBe(wire);
    expect(Buffer.from(encodeDirectoryBytes(message)).toString('latin1')).toBe(wire);
  });

  test.each(GOLDEN)('%s golden bytes deframe back to the message', (_label, message, wire) => {
    expect(createJsonDeframer().push(new TextEncoder().encode(wire))).toEqual([{ ok: true, value: message }]);
  });

  test('non-ASCII text is UTF-8 on the wire', () => {
    expect(Array.from(encodeDirectoryBytes({ command: 'GET', name: 'é' }))).toEqual([
      ...new TextEncoder().encode('{"command":"GET","name":"'),
      0xc3,
      0xa9,
      ...new TextEncoder().encode('"}\n'),
    ]);
  });
});

describe('decodeDirectoryRequest', () => {
  test.each<[string, Record<string, unknown>, DirectoryRequest]>([
    ['REG', { command: 'REG', name: 'alice' }, { command: 'REG', name: 'alice' }],
    ['REG via the cmd alias (seed diagrams)', { cmd: 'REG', name: 'Client A' }, { command: 'REG', name: 'Client A' }],
    ['REG with port', { command: 'REG', name: 'a', port: 5002 }, { command: 'REG', name: 'a', port: 5002 }],
    ['REG with port and v', { command: 'REG', name: 'a', port: 65535, v: 2 }, { command: 'REG', name: 'a', port: 65535, v: 2 }],
    ['REG keeps an invalid name for validateName to judge', { command: 'REG', name: ' x ' }, { command: 'REG', name: ' x ' }],
    ['v2 REG with caps', { command: 'REG', name: 'a', port: 5002, v: 2, caps: L16_CAPS }, { command: 'REG', name: 'a', port: 5002, v: 2, caps: L16_CAPS }],
    ['REG with caps and a later v', { command: 'REG', name: 'a', v: 3, caps: L16_CAPS }, { command: 'REG', name: 'a', v: 3, caps: L16_CAPS }],
    [
      'REG caps in canonical form: unknown fields dropped, unknown codecs kept, keys in order',
      { command: 'REG', name: 'a', v: 2, caps: { extra: true, formats: [{ frames: [960, 480], rate: 48000, codec: 'OPUS', bitrate: 32000 }] } },
      { command: 'REG', name: 'a', v: 2, caps: { formats: [{ codec: 'OPUS', rate: 48000, frames: [960, 480] }] } },
    ],
    ['GET', { command: 'GET', name: 'bob' }, { command: 'GET', name: 'bob' }],
    ['DISCONNECT', { command: 'DISCONNECT', name: 'bob' }, { command: 'DISCONNECT', name: 'bob' }],
    ['LIST', { command: 'LIST' }, { command: 'LIST' }],
    ['LIST naming the client', { command: 'LIST', name: 'bob' }, { command: 'LIST', name: 'bob' }],
    ['WATCH naming the client', { command: 'WATCH', name: 'bob' }, { command: 'WATCH', name: 'bob' }],
    ['WATCH', { cmd: 'WATCH' }, { command: 'WATCH' }],
    ['PING', { command: 'PING' }, { command: 'PING' }],
    ['PING naming the client', { command: 'PING', name: 'bob' }, { command: 'PING', name: 'bob' }],
    ['command wins over cmd', { command: 'LIST', cmd: 'WATCH' }, { command: 'LIST' }],
    ['extra fields are ignored', { command: 'GET', name: 'bob', extra: [1] }, { command: 'GET', name: 'bob' }],
  ])('%s', (_label, message, expected) => {
    expect(decodeDirectoryRequest(message)).toEqual({ ok: true, value: expected });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['no command', { name: 'alice' }, 'missing-command'],
    ['a numeric command', { command: 1 }, 'missing-command'],
    ['a command inherited, not owned', JSON.parse('{"__proto__":{"command":"LIST"}}') as Record<string, unknown>, 'missing-command'],
    ['an unknown command', { command: 'DANCE' }, 'unknown-command'],
    ['a lower-case command', { command: 'reg', name: 'a' }, 'unknown-command'],
    ['REG without name', { command: 'REG' }, 'bad-field'],
    ['REG with a numeric name', { command: 'REG', name: 5 }, 'bad-field'],
    ['REG with port 0', { command: 'REG', name: 'a', port: 0 }, 'bad-field'],
    ['REG with port 65536', { command: 'REG', name: 'a', port: 65536 }, 'bad-field'],
    ['REG with a fractional port', { command: 'REG', name: 'a', port: 5001.5 }, 'bad-field'],
    ['REG with a string port', { command: 'REG', name: 'a', port: '5001' }, 'bad-field'],
    ['REG with v 0', { command: 'REG', name: 'a', v: 0 }, 'bad-field'],
    ['REG with a string v', { command: 'REG', name: 'a', v: '2' }, 'bad-field'],
    ['REG with caps but no v', { command: 'REG', name: 'a', caps: L16_CAPS }, 'bad-caps'],
    ['REG with caps and v 1', { command: 'REG', name: 'a', v: 1, caps: L16_CAPS }, 'bad-caps'],
    ['REG with null caps', { command: 'REG', name: 'a', v: 2, caps: null }, 'bad-caps'],
    ['REG with caps without formats', { command: 'REG', name: 'a', v: 2, caps: {} }, 'bad-caps'],
    ['REG with a bad v and caps: the v is reported', { command: 'REG', name: 'a', v: 0, caps: L16_CAPS }, 'bad-field'],
    ['GET without name', { command: 'GET' }, 'bad-field'],
    ['DISCONNECT with a null name', { command: 'DISCONNECT', name: null }, 'bad-field'],
  ])('refuses %s', (_label, message, code) => {
    expect(decodeDirectoryRequest(message)).toMatchObject({ ok: false, code });
  });

  test('bad caps carry the rule they broke, for the Error Registering reason', () => {
    expect(decodeDirectoryRequest({ command: 'REG', name: 'a', caps: L16_CAPS })).toEqual({ ok: false, code: 'bad-caps', detail: '"caps" needs "v" 2 or later' });
    expect(decodeDirectoryRequest({ command: 'REG', name: 'a', v: 2, caps: { formats: [{ codec: 'L16', rate: 0, frames: [160] }] } })).toEqual({
      ok: false,
      code: 'bad-caps',
      detail: '"caps.formats[0].rate" must be an integer from 1 to 384000',
    });
  });

  test('an unknown command carries the reason the server sends', () => {
    expect(decodeDirectoryRequest({ command: 'DANCE' })).toEqual({ ok: false, code: 'unknown-command', detail: REASON.unknownCommand });
  });
});

describe('requestCommand and registeredPort', () => {
  test.each<[Record<string, unknown>, string | undefined]>([
    [{ command: 'REG' }, 'REG'],
    [{ cmd: 'GET' }, 'GET'],
    [{ command: null, cmd: 'LIST' }, 'LIST'],
    [{ command: 7 }, undefined],
    [{}, undefined],
  ])('requestCommand(%j) is %j', (message, expected) => {
    expect(requestCommand(message)).toBe(expected);
  });

  test('the UDP port is the port field, else 5001', () => {
    expect(registeredPort({ port: 6000 })).toBe(6000);
    expect(registeredPort({})).toBe(5001);
  });
});

test('the directory version is 2', () => {
  expect(DIRECTORY_VERSION).toBe(2);
});

describe('decodeDirectoryReply', () => {
  test.each<[string, Record<string, unknown>, unknown]>([
    ['registered', { ack: 'Registered successfully' }, { kind: 'ack', ack: ACK.registered }],
    ['registered by our server', { ack: 'Registered successfully', v: 1 }, { kind: 'ack', ack: ACK.registered, v: 1 }],
    ['refused with a reason', { ack: 'Error Registering', reason: 'name already taken' }, { kind: 'ack', ack: ACK.registerFailed, reason: 'name already taken' }],
    ['a classic refusal without reason', { ack: 'Error Registering' }, { kind: 'ack', ack: ACK.registerFailed }],
    ['a non-string reason is dropped', { ack: 'Error', reason: 3 }, { kind: 'ack', ack: ACK.error }],
    ['nobody', { ip: 'None' }, { kind: 'address', user: null }],
    ['nobody as null', { ip: null }, { kind: 'address', user: null }],
    ['an address with port', { ip: '127.0.0.1', port: 5002 }, { kind: 'address', user: { name: 'bob', ip: '127.0.0.1', port: 5002 } }],
    ['a classic address without port', { ip: '127.0.0.1' }, { kind: 'address', user: { name: 'bob', ip: '127.0.0.1', port: 5001 } }],
    ['a list', { users: [{ name: 'a', ip: '127.0.0.1', port: 6000 }] }, { kind: 'users', users: [{ name: 'a', ip: '127.0.0.1', port: 6000 }] }],
    ['a list entry without port', { users: [{ name: 'a', ip: '127.0.0.1' }] }, { kind: 'users', users: [{ name: 'a', ip: '127.0.0.1', port: 5001 }] }],
    ['an empty list', { users: [] }, { kind: 'users', users: [] }],
    ['a presence push', { event: 'presence', users: [{ name: 'a', ip: '127.0.0.1', port: 5001 }] }, { kind: 'presence', users: [{ name: 'a', ip: '127.0.0.1', port: 5001 }] }],
    [
      'an address with v and caps',
      { ip: '127.0.0.1', port: 5002, v: 2, caps: L16_CAPS },
      { kind: 'address', user: { name: 'bob', ip: '127.0.0.1', port: 5002, v: 2, caps: L16_CAPS } },
    ],
    ['an address with v only', { ip: '127.0.0.1', port: 5002, v: 3 }, { kind: 'address', user: { name: 'bob', ip: '127.0.0.1', port: 5002, v: 3 } }],
    [
      'a list with v and caps, unknown codecs kept, unknown fields dropped',
      {
        users: [
          { name: 'a', ip: '127.0.0.1', port: 6000, v: 2, caps: { formats: [{ codec: 'OPUS', rate: 48000, frames: [960], x: 1 }], y: 2 } },
          { name: 'b', ip: '127.0.0.2', port: 5001 },
        ],
      },
      {
        kind: 'users',
        users: [
          { name: 'a', ip: '127.0.0.1', port: 6000, v: 2, caps: { formats: [{ codec: 'OPUS', rate: 48000, frames: [960] }] } },
          { name: 'b', ip: '127.0.0.2', port: 5001 },
        ],
      },
    ],
    [
      'a presence push with v and caps',
      { event: 'presence', users: [{ name: 'a', ip: '127.0.0.1', port: 5001, v: 2, caps: L16_CAPS }] },
      { kind: 'presence', users: [{ name: 'a', ip: '127.0.0.1', port: 5001, v: 2, caps: L16_CAPS }] },
    ],
  ])('%s', (_label, message, expected) => {
    expect(decodeDirectoryReply(message, 'bob')).toEqual({ ok: true, value: expected });
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['an empty object', {}, 'unknown-reply'],
    ['a request echoed back', { command: 'LIST' }, 'unknown-reply'],
    ['an unknown event', { event: 'typing', users: [] }, 'unknown-reply'],
    ['a numeric ack', { ack: 1 }, 'unknown-reply'],
    ['a version that is not a positive integer', { ack: 'Registered successfully', v: 0 }, 'bad-field'],
    ['a version that is text', { ack: 'Registered successfully', v: '1' }, 'bad-field'],
    ['a numeric ip', { ip: 127 }, 'bad-field'],
    ['an empty ip', { ip: '' }, 'bad-field'],
    ['an address with a bad port', { ip: '127.0.0.1', port: 'x' }, 'bad-field'],
    ['an address with port 0', { ip: '127.0.0.1', port: 0 }, 'bad-field'],
    ['users not a list', { users: 'alice' }, 'bad-field'],
    ['a user without ip', { users: [{ name: 'a' }] }, 'bad-field'],
    ['a user that is a list', { users: [['a', '127.0.0.1', 5001]] }, 'bad-field'],
    ['a user with a bad port', { users: [{ name: 'a', ip: '127.0.0.1', port: 70000 }] }, 'bad-field'],
    ['presence without users', { event: 'presence' }, 'bad-field'],
    ['an address with v 0', { ip: '127.0.0.1', port: 5002, v: 0 }, 'bad-field'],
    ['an address with caps that are not caps', { ip: '127.0.0.1', port: 5002, v: 2, caps: 'L16' }, 'bad-field'],
    ['a user with a text v', { users: [{ name: 'a', ip: '127.0.0.1', port: 5001, v: '2' }] }, 'bad-field'],
    ['a user with caps without formats', { users: [{ name: 'a', ip: '127.0.0.1', port: 5001, v: 2, caps: {} }] }, 'bad-field'],
    [
      'a presence user with bad frames',
      { event: 'presence', users: [{ name: 'a', ip: '127.0.0.1', port: 5001, v: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [] }] } }] },
      'bad-field',
    ],
  ])('refuses %s', (_label, message, code) => {
    expect(decodeDirectoryReply(message)).toMatchObject({ ok: false, code });
  });
});

describe('deframeErrorReason', () => {
  test.each([
    ['frame-too-large', REASON.frameTooLarge],
    ['invalid-json', REASON.invalidJson],
    ['not-an-object', REASON.notAnObject],
  ] as const)('%s', (code, reason) => {
    expect(deframeErrorReason(code)).toBe(reason);
  });
});
