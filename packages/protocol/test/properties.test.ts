import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  classifyClassicDatagram,
  createJsonDeframer,
  decodeClassicPcm,
  decodeClassicSignal,
  decodeDirectoryReply,
  decodeDirectoryRequest,
  encodeClassicPcm,
  encodeClassicSignal,
  encodeDirectoryBytes,
  type ClassicSignal,
  type DeframeResult,
  type DirectoryReply,
  type DirectoryRequest,
  type DirectoryCaps,
  type DirectoryUser,
} from '../src/index.js';

/** Cuts `bytes` at the given positions (taken modulo its length, any order). */
function cut(bytes: Uint8Array, positions: readonly number[]): Uint8Array[] {
  const points = [...new Set(positions.map((p) => (bytes.length === 0 ? 0 : p % (bytes.length + 1))))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    chunks.push(bytes.subarray(from, point));
    from = point;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

function deframe(chunks: readonly Uint8Array[], maxFrameBytes?: number): DeframeResult[] {
  const deframer = createJsonDeframer(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  return chunks.flatMap((chunk) => deframer.push(chunk));
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

const name = fc.stringMatching(/^[A-Za-z0-9._-](?:[A-Za-z0-9 ._-]{0,30}[A-Za-z0-9._-])?$/);
const port = fc.integer({ min: 1, max: 65535 });
const anyText = fc.string({ unit: 'grapheme', maxLength: 40 });
const caps: fc.Arbitrary<DirectoryCaps> = fc.record({
  formats: fc.array(
    fc.record({
      codec: fc.stringMatching(/^[A-Za-z0-9._-]{1,16}$/),
      rate: fc.integer({ min: 1, max: 384000 }),
      frames: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 8 }),
    }),
    { minLength: 1, maxLength: 8 },
  ),
});
const classicUser: fc.Arbitrary<DirectoryUser> = fc.record({ name, ip: fc.ipV4(), port });
// What our server shows a v2 asker: v2 users carry v, and caps when they sent them.
const user: fc.Arbitrary<DirectoryUser> = fc.oneof(
  classicUser,
  fc.record({ name, ip: fc.ipV4(), port, v: fc.integer({ min: 2, max: 9 }) }),
  fc.record({ name, ip: fc.ipV4(), port, v: fc.integer({ min: 2, max: 9 }), caps }),
);

const request: fc.Arbitrary<DirectoryRequest> = fc.oneof(
  fc.record({ command: fc.constant('REG' as const), name: anyText }),
  fc.record({ command: fc.constant('REG' as const), name, port, v: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ command: fc.constant('REG' as const), name, port, v: fc.integer({ min: 2, max: 9 }), caps }),
  fc.record({ command: fc.constant('GET' as const), name: anyText }),
  fc.record({ command: fc.constant('DISCONNECT' as const), name }),
  fc.constant({ command: 'LIST' as const }),
  fc.constant({ command: 'WATCH' as const }),
);

const reply: fc.Arbitrary<DirectoryReply> = fc.oneof(
  fc.constant({ ack: 'Registered successfully' as const }),
  fc.record({ ack: fc.constant('Error Registering' as const), reason: anyText }),
  fc.record({ ack: fc.constant('Error' as const), reason: anyText }),
  fc.constant({ ack: 'Disconnected' as const }),
  fc.constant({ ip: 'None' as const }),
  fc.record({ ip: fc.ipV4(), port }),
  fc.record({ users: fc.array(user, { maxLength: 5 }) }),
  fc.record({ event: fc.constant('presence' as const), users: fc.array(user, { maxLength: 5 }) }),
);

const whitespace = fc.constantFrom('', '\n', '\r\n', ' ', '\t', '\n\n  ');

describe('deframer properties', () => {
  test('no input makes it throw, and every cut of the input yields the same results', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, positions) => {
        const whole = deframe([bytes]);
        expect(deframe(cut(bytes, positions))).toEqual(whole);
        // Nothing after the first error.
        const firstError = whole.findIndex((r) => !r.ok);
        expect(firstError === -1 || firstError === whole.length - 1).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('JSON-ish noise never makes it throw and respects a small limit', () => {
    const jsonish = fc.array(fc.constantFrom(...'{}[]",:\\ \n\r\tab01é'.split('')), { maxLength: 80 }).map((cs) => new TextEncoder().encode(cs.join('')));
    fc.assert(
      fc.property(jsonish, fc.array(fc.nat(), { maxLength: 6 }), (bytes, positions) => {
        const whole = deframe([bytes], 16);
        expect(deframe(cut(bytes, positions), 16)).toEqual(whole);
        for (const result of whole) {
          if (result.ok) expect(new TextEncoder().encode(JSON.stringify(result.value)).length).toBeLessThanOrEqual(16);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('any objects, separated or not, cut anywhere, come back in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.dictionary(anyText, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), whitespace), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (items, positions) => {
          const stream = concat(items.map(([value, gap]) => new TextEncoder().encode(JSON.stringify(value) + gap)));
          const results = deframe(cut(stream, positions));
          // Compare as JSON: -0 and 0 are the same on the wire.
          expect(results.map((r) => (r.ok ? JSON.stringify(r.value) : r))).toEqual(items.map(([value]) => JSON.stringify(value)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('directory message properties', () => {
  test('every encoded request decodes back to itself, also several in one stream cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 8 }), (requests, positions) => {
        const stream = concat(requests.map(encodeDirectoryBytes));
        const decoded = deframe(cut(stream, positions)).map((r) => (r.ok ? decodeDirectoryRequest(r.value) : r));
        expect(decoded).toEqual(requests.map((value) => ({ ok: true, value })));
      }),
      { numRuns: 1000 },
    );
  });

  test('every encoded reply decodes back to what it says', () => {
    fc.assert(
      fc.property(reply, (message) => {
        const [frame] = deframe([encodeDirectoryBytes(message)]);
        expect(frame?.ok).toBe(true);
        if (!frame?.ok) return;
        const decoded = decodeDirectoryReply(frame.value, 'someone');
        expect(decoded.ok).toBe(true);
        if (!decoded.ok) return;
        const value = decoded.value;
        if ('event' in message) expect(value).toEqual({ kind: 'presence', users: message.users });
        else if ('users' in message) expect(value).toEqual({ kind: 'users', users: message.users });
        else if ('port' in message) expect(value).toEqual({ kind: 'address', user: { name: 'someone', ip: message.ip, port: message.port } });
        else if ('ip' in message) expect(value).toEqual({ kind: 'address', user: null });
        else expect(value).toEqual({ kind: 'ack', ...message });
      }),
      { numRuns: 1000 },
    );
  });

  test('no JSON object makes the request or reply decoder throw', () => {
    const keys = fc.constantFrom('command', 'cmd', 'name', 'port', 'v', 'ack', 'reason', 'ip', 'users', 'event', '__proto__', 'x');
    const message = fc.dictionary(keys, fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('REG', 'GET', 'LIST', 'WATCH', 'DISCONNECT', 'presence', 'None')));
    fc.assert(
      fc.property(message, (object) => {
        // Through JSON, as the server receives it (own "__proto__" keys included).
        const parsed = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
        expect(() => decodeDirectoryRequest(parsed)).not.toThrow();
        expect(() => decodeDirectoryReply(parsed)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });
});

describe('classic signalling properties', () => {
  const signal: fc.Arbitrary<ClassicSignal> = fc.oneof(
    fc.record({ type: fc.constant('START' as const), caller: name }),
    fc.constantFrom<ClassicSignal>({ type: 'ACCEPT' }, { type: 'REJECT' }, { type: 'CLOSE' }),
  );

  test('every encoded signal decodes and classifies back to itself', () => {
    fc.assert(
      fc.property(signal, (s) => {
        const bytes = encodeClassicSignal(s);
        expect(decodeClassicSignal(bytes)).toEqual({ ok: true, value: s });
        expect(classifyClassicDatagram(bytes)).toEqual({ kind: 'signal', signal: s });
      }),
      { numRuns: 1000 },
    );
  });

  test('no datagram makes the signal decoder or the classifier throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ minLength: 1024, maxLength: 1024 }), fc.uint8Array({ maxLength: 2000 })), (bytes) => {
        expect(() => decodeClassicSignal(bytes)).not.toThrow();
        const sorted = classifyClassicDatagram(bytes);
        expect(sorted.kind === 'audio').toBe(bytes.length === 1024);
      }),
      { numRuns: 2000 },
    );
  });

  test('a START decoded from any text names a non-empty, printable ASCII caller', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (rest) => {
        const decoded = decodeClassicSignal(new TextEncoder().encode(`START ${rest}`));
        if (decoded.ok && decoded.value.type === 'START') {
          // Whatever came in is reported as-is, for the directory lookup to judge.
          expect(decoded.value.caller).toMatch(/^[\x20-\x7e]+$/);
          expect(rest.startsWith(decoded.value.caller)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('PCM frames round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -32768, max: 32767 }), { minLength: 512, maxLength: 512 }), (values) => {
        const samples = Int16Array.from(values);
        expect(decodeClassicPcm(encodeClassicPcm(samples))).toEqual(samples);
      }),
      { numRuns: 50 },
    );
  });
});
