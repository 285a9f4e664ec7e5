// Tests of the JSON deframer: split and joined frames, limits, errors.
import { describe, expect, test } from 'vitest';
import { MAX_DIRECTORY_FRAME_BYTES } from './constants.js';
import { deframeErrorReason } from './directory-messages.js';
import { createJsonDeframer, type DeframeResult, type JsonDeframer } from './json-deframer.js';

const utf8 = new TextEncoder();
const bytes = (text: string): Uint8Array => utf8.encode(text);

/** Pushes each chunk in turn and returns everything yielded. */
function feed(deframer: JsonDeframer, chunks: readonly Uint8Array[]): DeframeResult[] {
  return chunks.flatMap((chunk) => deframer.push(chunk));
}

/** What a fresh deframer yields for the whole stream in one chunk. */
function whole(stream: Uint8Array): DeframeResult[] {
  return createJsonDeframer().push(stream);
}

/** Asserts the stream yields the same results however it is cut in two, and a byte at a time. */
function expectSameAtEverySplit(stream: Uint8Array, expected: readonly DeframeResult[]): void {
  expect(whole(stream)).toEqual(expected);
  for (let cut = 0; cut <= stream.length; cut++) {
    const results = feed(createJsonDeframer(), [stream.subarray(0, cut), stream.subarray(cut)]);
    expect(results, `cut at ${cut}`).toEqual(expected);
  }
  const trickled = feed(
    createJsonDeframer(),
    Array.from(stream, (_, i) => stream.subarray(i, i + 1)),
  );
  expect(trickled).toEqual(expected);
}

const good = (value: Record<string, unknown>): DeframeResult => ({ ok: true, value });

describe('createJsonDeframer: objects', () => {
  test.each([
    ['newline-separated', '{"a":1}\n{"b":2}\n', [{ a: 1 }, { b: 2 }]],
    ['back to back', '{"a":1}{"b":2}', [{ a: 1 }, { b: 2 }]],
    ['CRLF-separated', '{"a":1}\r\n{"b":2}\r\n', [{ a: 1 }, { b: 2 }]],
    ['spaces and tabs between and around', ' \t{"a":1} \t \n\n{"b":2}  ', [{ a: 1 }, { b: 2 }]],
    ['braces inside strings', '{"a":"}{"}{"b":"{{"}', [{ a: '}{' }, { b: '{{' }]],
    ['brackets inside strings', '{"a":"]]"}', [{ a: ']]' }]],
    ['escaped quotes inside strings', '{"a":"x\\"}"}{"b":"\\\\"}', [{ a: 'x"}' }, { b: '\\' }]],
    ['escaped backslash before a closing quote', '{"a":"\\\\\\"}\\\\"}', [{ a: '\\"}\\' }]],
    ['nested objects and arrays', '{"a":{"b":[1,{"c":[]}]}}{}', [{ a: { b: [1, { c: [] }] } }, {}]],
    ['pretty-printed over several lines', '{\n  "command": "REG",\n  "name": "x"\n}\n', [{ command: 'REG', name: 'x' }]],
    ['a classic client request', '{"cmd": "REG", "name": "Client A"}', [{ cmd: 'REG', name: 'Client A' }]],
    ['multi-byte UTF-8', '{"name":"é€😀"}', [{ name: 'é€😀' }]],
    ['unicode escapes', '{"a":"\\u00e9\\ud83d\\ude00"}', [{ a: 'é😀' }]],
  ])('%s', (_label, text, values) => {
    expectSameAtEverySplit(bytes(text), values.map(good));
  });

  test('yields nothing for whitespace alone or an unfinished object', () => {
    const deframer = createJsonDeframer();
    expect(deframer.push(bytes(' \r\n\t'))).toEqual([]);
    expect(deframer.bufferedBytes).toBe(0);
    expect(deframer.push(bytes('{"a":'))).toEqual([]);
    expect(deframer.failed).toBe(false);
  });

  test('an empty chunk yields nothing and changes nothing', () => {
    const deframer = createJsonDeframer();
    deframer.push(bytes('{"a"'));
    expect(deframer.push(new Uint8Array(0))).toEqual([]);
    expect(deframer.bufferedBytes).toBe(4);
    expect(deframer.push(bytes(':1}'))).toEqual([good({ a: 1 })]);
  });

  test('a multi-byte character split across chunks is reassembled', () => {
    const stream = bytes('{"n":"😀"}');
    // The emoji's four bytes start at offset 6; cut inside it at each position.
    for (const cut of [7, 8, 9]) {
      const deframer = createJsonDeframer();
      expect(deframer.push(stream.subarray(0, cut))).toEqual([]);
      expect(deframer.push(stream.subarray(cut))).toEqual([good({ n: '😀' })]);
    }
  });

  test('does not keep a reference to the pushed chunk', () => {
    const deframer = createJsonDeframer();
    const chunk = bytes('{"a":"xy');
    deframer.push(chunk);
    chunk.fill(0x20);
    expect(deframer.push(bytes('z"}'))).toEqual([good({ a: 'xyz' })]);
  });

  test('accepts Node Buffers', () => {
    const deframer = createJsonDeframer();
    expect(deframer.push(Buffer.from('{"a":1}{"b"'))).toEqual([good({ a: 1 })]);
    expect(deframer.push(Buffer.from(':2}'))).toEqual([good({ b: 2 })]);
  });
});

describe('createJsonDeframer: refused streams', () => {
  test.each([
    ['an array', '[1]', 'not-an-object'],
    ['a number', '42', 'not-an-object'],
    ['a negative number', '-1\n', 'not-an-object'],
    ['a string', '"x"', 'not-an-object'],
    ['true', 'true\n', 'not-an-object'],
    ['null', 'null', 'not-an-object'],
    ['garbage', 'hello', 'invalid-json'],
    ['a stray closing brace', '}', 'invalid-json'],
    ['an unquoted key', '{a:1}', 'invalid-json'],
    ['a trailing comma', '{"a":1,}', 'invalid-json'],
    ['mismatched brackets', '{"a":[1}]', 'invalid-json'],
    ['a bracket closing the object', '{"a":1]', 'invalid-json'],
    ['a raw newline inside a string', '{"a":"x\ny"}', 'invalid-json'],
    ['a UTF-8 byte order mark', '\ufeff{"a":1}', 'invalid-json'],
  ])('%s is %s', (_label, text, code) => {
    const stream = bytes(text);
    const results = whole(stream);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ok: false, code });
    expectSameAtEverySplit(stream, results);
  });

  test('invalid UTF-8 inside an object is invalid-json', () => {
    const stream = new Uint8Array([...bytes('{"a":"'), 0xff, 0xfe, ...bytes('"}')]);
    expectSameAtEverySplit(stream, [{ ok: false, code: 'invalid-json', detail: 'invalid JSON: not valid UTF-8' }]);
  });

  test('a truncated multi-byte sequence is invalid-json', () => {
    const emoji = bytes('😀');
    const stream = new Uint8Array([...bytes('{"a":"'), ...emoji.subarray(0, 2), ...bytes('"}')]);
    expect(whole(stream)).toMatchObject([{ ok: false, code: 'invalid-json' }]);
  });

  test('a non-object is refused at its first byte, without waiting for a newline', () => {
    for (const text of ['4', '[', '"', 't', '-']) {
      const deframer = createJsonDeframer();
      expect(deframer.push(bytes(text))).toMatchObject([{ ok: false, code: 'not-an-object' }]);
      expect(deframer.failed).toBe(true);
    }
  });

  test('objects before the error are yielded, nothing after it', () => {
    const deframer = createJsonDeframer();
    const results = deframer.push(bytes('{"a":1}\n[2]\n{"b":3}\n'));
    expect(results).toEqual([good({ a: 1 }), expect.objectContaining({ ok: false, code: 'not-an-object' })]);
    expect(deframer.failed).toBe(true);
    expect(deframer.bufferedBytes).toBe(0);
    expect(deframer.push(bytes('{"c":4}\n'))).toEqual([]);
    expect(deframer.push(bytes('garbage'))).toEqual([]);
  });

  test('an error inside a later chunk still yields the earlier objects of that chunk', () => {
    const deframer = createJsonDeframer();
    expect(deframer.push(bytes('{"a":'))).toEqual([]);
    const results = deframer.push(bytes('1}{"b":2}x{"c":3}'));
    expect(results).toEqual([good({ a: 1 }), good({ b: 2 }), expect.objectContaining({ ok: false, code: 'invalid-json' })]);
  });
});

describe('createJsonDeframer: frame size', () => {
  /** An object of exactly `size` bytes: {"p":"xxx..."}. */
  function objectOfSize(size: number): string {
    return `{"p":"${'x'.repeat(size - 8)}"}`;
  }

  test('an object of exactly 64 KiB is accepted, also split in two and trickled', () => {
    const text = objectOfSize(MAX_DIRECTORY_FRAME_BYTES);
    expect(text.length).toBe(MAX_DIRECTORY_FRAME_BYTES);
    const stream = bytes(`${text}\n`);
    const expected = [good({ p: 'x'.repeat(MAX_DIRECTORY_FRAME_BYTES - 8) })];
    expect(whole(stream)).toEqual(expected);
    expect(feed(createJsonDeframer(), [stream.subarray(0, 30_000), stream.subarray(30_000)])).toEqual(expected);
  });

  test('one byte more is refused', () => {
    const results = whole(bytes(objectOfSize(MAX_DIRECTORY_FRAME_BYTES + 1)));
    expect(results).toMatchObject([{ ok: false, code: 'frame-too-large' }]);
  });

  test('an oversized object is refused as soon as the byte past the limit arrives', () => {
    const deframer = createJsonDeframer();
    const head = bytes(`{"p":"${'x'.repeat(MAX_DIRECTORY_FRAME_BYTES)}`);
    expect(deframer.push(head.subarray(0, MAX_DIRECTORY_FRAME_BYTES))).toEqual([]);
    expect(deframer.bufferedBytes).toBe(MAX_DIRECTORY_FRAME_BYTES);
    expect(deframer.push(head.subarray(MAX_DIRECTORY_FRAME_BYTES, MAX_DIRECTORY_FRAME_BYTES + 1))).toMatchObject([{ ok: false, code: 'frame-too-large' }]);
    expect(deframer.failed).toBe(true);
    expect(deframer.bufferedBytes).toBe(0);
  });

  test('whitespace around objects does not count toward the limit', () => {
    const deframer = createJsonDeframer({ maxFrameBytes: 8 });
    expect(deframer.push(bytes(`${' '.repeat(100)}{"a":12}\r\n${'\n'.repeat(100)}{"b":34}`))).toEqual([good({ a: 12 }), good({ b: 34 })]);
  });

  test.each([
    ['split in two', 2],
    ['trickled', 1],
  ])('a custom limit applies to objects %s', (_label, step) => {
    const stream = bytes('{"a":12}{"a":123}');
    const deframer = createJsonDeframer({ maxFrameBytes: 8 });
    const chunks = [];
    for (let i = 0; i < stream.length; i += step) chunks.push(stream.subarray(i, i + step));
    expect(feed(deframer, chunks)).toEqual([good({ a: 12 }), expect.objectContaining({ ok: false, code: 'frame-too-large' })]);
  });

  test('a nonsensical limit is a usage error', () => {
    expect(() => createJsonDeframer({ maxFrameBytes: 0 })).toThrow(RangeError);
    expect(() => createJsonDeframer({ maxFrameBytes: 1.5 })).toThrow(RangeError);
  });
});

describe('createJsonDeframer: error details', () => {
  test.each([
    ['{"p":"xxxxxxxxxx"}', 'message too large: over 8 bytes'],
    ['{"a":1,}', 'invalid JSON: '],
    ['hello', 'invalid JSON: unexpected byte 0x68'],
    ['[1]', 'message must be a JSON object: got an array'],
    ['"x"', 'message must be a JSON object: got a string'],
    ['42', 'message must be a JSON object: got a number'],
    ['null', 'message must be a JSON object: got true, false or null'],
  ])('%j: the detail starts with the reason to send', (text, start) => {
    const [result] = createJsonDeframer({ maxFrameBytes: 8 }).push(bytes(text));
    expect(result?.ok).toBe(false);
    if (result?.ok === false) {
      expect(result.detail.startsWith(start)).toBe(true);
      expect(result.detail.startsWith(deframeErrorReason(result.code))).toBe(true);
    }
  });
});

describe('createJsonDeframer: bookkeeping', () => {
  test('bufferedBytes counts the unfinished object only', () => {
    const deframer = createJsonDeframer();
    expect(deframer.bufferedBytes).toBe(0);
    deframer.push(bytes('\n\n  '));
    expect(deframer.bufferedBytes).toBe(0);
    deframer.push(bytes('{"a":1}\n  {"b"'));
    expect(deframer.bufferedBytes).toBe(4);
    deframer.push(bytes(':'));
    expect(deframer.bufferedBytes).toBe(5);
    expect(deframer.push(bytes('2}\r\n'))).toEqual([good({ b: 2 })]);
    expect(deframer.bufferedBytes).toBe(0);
  });

  test('state carries over when a chunk ends inside a string, after an escape, or nested', () => {
    const deframer = createJsonDeframer();
    expect(deframer.push(bytes('{"a":{"s":"x\\'))).toEqual([]);
    expect(deframer.push(bytes('"'))).toEqual([]);
    expect(deframer.push(bytes('}"'))).toEqual([]);
    expect(deframer.push(bytes('}'))).toEqual([]);
    expect(deframer.push(bytes('}{'))).toEqual([good({ a: { s: 'x"}' } })]);
    expect(deframer.bufferedBytes).toBe(1);
    expect(deframer.push(bytes('}'))).toEqual([good({})]);
  });

  test('a byte-a-time trickle of a large object examines each byte once and copies linearly', () => {
    const text = `{"p":"${'x'.repeat(60_000)}"}\n`;
    const stream = bytes(text);
    const deframer = createJsonDeframer();
    const results: DeframeResult[] = [];
    for (let i = 0; i < stream.length; i++) results.push(...deframer.push(stream.subarray(i, i + 1)));
    expect(results).toEqual([good({ p: 'x'.repeat(60_000) })]);
    expect(deframer.scannedBytes).toBe(stream.length);
    // Every byte copied once into the buffer, plus doubling growth: under 3 copies a byte.
    expect(deframer.copiedBytes).toBeLessThan(3 * stream.length);
  });

  test('objects arriving whole in one chunk are not copied', () => {
    const deframer = createJsonDeframer();
    const stream = bytes('{"a":1}\n'.repeat(1000));
    expect(deframer.push(stream)).toHaveLength(1000);
    expect(deframer.scannedBytes).toBe(stream.length);
    expect(deframer.copiedBytes).toBe(0);
  });

  test('a refused stream stops scanning at the offending byte', () => {
    const deframer = createJsonDeframer();
    deframer.push(bytes('{"a":1} x{"b":2}{"c":3}'));
    expect(deframer.scannedBytes).toBe(9);
  });
});
