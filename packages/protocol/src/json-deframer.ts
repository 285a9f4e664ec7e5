/** The incremental JSON deframer of the directory's TCP stream: `push(chunk)` returns the objects completed, the rest is kept. */
import { MAX_DIRECTORY_FRAME_BYTES } from './constants.js';
import { REASON } from './directory-texts.js';

/**
 * Why a directory stream was refused. After any of these the deframer yields nothing more.
 * - `frame-too-large`: an object grew past the maximum frame size (reported as soon as
 *   the byte past the limit arrives, without waiting for the end of the object);
 * - `invalid-json`: bytes that are not JSON, or not UTF-8;
 * - `not-an-object`: a JSON value that is not an object (`[1]`, `42`, `"x"`, `true`...).
 */
export type DeframeErrorCode = 'frame-too-large' | 'invalid-json' | 'not-an-object';

/**
 * One item cut from the stream: a JSON object, or the error that ends the stream. An
 * error's `detail` starts with the matching {@link REASON} text, so it can be sent as
 * the `reason` of the error reply as it is.
 */
export type DeframeResult = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly code: DeframeErrorCode; readonly detail: string };

/** Options of {@link createJsonDeframer}. */
export interface JsonDeframerOptions {
  /** Largest object accepted, in bytes from `{` to `}` inclusive; default 64 KiB (PROTOCOL.md section 1). */
  readonly maxFrameBytes?: number;
}

/** An incremental splitter of a TCP byte stream into JSON objects. */
export interface JsonDeframer {
  /**
   * Feeds bytes as they arrive, split anywhere; returns every object completed by
   * them, in order. Objects may be separated by whitespace (`\n`, `\r\n`, spaces,
   * tabs) or written back to back. Returns an error result (once, after any objects
   * completed before it) when the stream goes bad; never throws. The chunk is not
   * retained: the caller may reuse its buffer once `push` returns.
   */
  push(chunk: Uint8Array): DeframeResult[];
  /** Bytes held for an object not yet complete (whitespace between objects is not held). */
  readonly bufferedBytes: number;
  /** True once an error was returned: the stream must be closed. */
  readonly failed: boolean;
  /**
   * Bytes examined since creation. Each byte pushed is examined at most once, so this
   * never exceeds the total pushed: a measure of work for diagnostics and tests.
   */
  readonly scannedBytes: number;
  /**
   * Bytes copied into the internal buffer since creation, growth included. Bytes of
   * objects that arrive whole within one chunk are never copied.
   */
  readonly copiedBytes: number;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** What a non-object JSON value starting with byte `b` is, or undefined if no JSON value starts so. */
function nonObjectKind(b: number): string | undefined {
  if (b === OPEN_BRACKET) return 'an array';
  if (b === QUOTE) return 'a string';
  if (b === MINUS || (b >= 0x30 && b <= 0x39)) return 'a number';
  if (b === 0x74 || b === 0x66 || b === 0x6e) return 'true, false or null';
  return undefined;
}

const INITIAL_CAPACITY = 256;
const RETAINED_CAPACITY = 4096;

/**
 * Creates a deframer for the directory protocol.
 *
 * It tracks JSON nesting outside strings to find where each object ends, so it needs
 * no separator. Its scanning state survives between chunks: every byte is examined
 * once, and only the unfinished tail of a chunk is copied (into a buffer that grows by
 * doubling and never past the frame limit), so a stream trickled a byte at a time costs
 * linear time. Scanning bytes is safe for UTF-8: structural characters are ASCII and
 * never occur inside a multi-byte sequence; a character split across chunks is
 * reassembled before decoding.
 *
 * The first byte that is not whitespace decides what comes: `{` starts an object;
 * the first byte of any other JSON value is refused at once as `not-an-object`, any
 * other byte as `invalid-json`. Deciding at once means a peer that sends `42` and
 * waits gets its error without a newline or more bytes.
 */
export function createJsonDeframer(options: JsonDeframerOptions = {}): JsonDeframer {
  const maxFrameBytes = options.maxFrameBytes ?? MAX_DIRECTORY_FRAME_BYTES;
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 2) {
    throw new RangeError(`maxFrameBytes must be an integer of at least 2, got ${maxFrameBytes}`);
  }
  return new Deframer(maxFrameBytes);
}

// One decoder for every stream: a whole frame is decoded per call (never with
// `stream: true`), so it keeps no state between calls, and a decoder per connection
// would cost native converter memory for each of thousands of connections.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The state of one stream; a class so that every instance shares one stable shape. */
class Deframer implements JsonDeframer {
  // Bytes of the current object received in earlier chunks: buffer[0, buffered).
  private buffer = new Uint8Array(0);
  private buffered = 0;
  // Scan state of the current object, carried across chunks.
  private inFrame = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private hasFailed = false;
  private scanned = 0;
  private copied = 0;

  constructor(private readonly maxFrameBytes: number) {}

  get bufferedBytes(): number {
    return this.buffered;
  }

  get failed(): boolean {
    return this.hasFailed;
  }

  get scannedBytes(): number {
    return this.scanned;
  }

  get copiedBytes(): number {
    return this.copied;
  }

  push(chunk: Uint8Array): DeframeResult[] {
    if (this.hasFailed || chunk.length === 0) return [];
    const out: DeframeResult[] = [];
    const length = chunk.length;
    const maxFrameBytes = this.maxFrameBytes;
    // Where the current object's bytes begin in this chunk (0 when it began earlier).
    let frameStart = 0;
    let i = 0;
    while (i < length) {
      if (!this.inFrame) {
        let b = chunk[i]!;
        while (isSpace(b)) {
          if (++i === length) break;
          b = chunk[i]!;
        }
        if (i === length) break;
        if (b !== OPEN_BRACE) {
          this.scanned += i + 1;
          const kind = nonObjectKind(b);
          out.push(
            kind === undefined
              ? this.failWith('invalid-json', `${REASON.invalidJson}: unexpected byte 0x${b.toString(16).padStart(2, '0')}`)
              : this.failWith('not-an-object', `${REASON.notAnObject}: got ${kind}`),
          );
          return out;
        }
        this.inFrame = true;
        this.depth = 1;
        this.inString = false;
        this.escaped = false;
        frameStart = i;
        i++;
        continue;
      }
      // The hot loop works on locals; the frame may use bytes up to `limit` of this chunk.
      const limit = Math.min(length, frameStart + maxFrameBytes - this.buffered);
      let depth = this.depth;
      let inString = this.inString;
      let escaped = this.escaped;
      let end = -1;
      let j = i;
      for (; j < limit; j++) {
        const b = chunk[j]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) inString = false;
        } else if (b === QUOTE) {
          inString = true;
        } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          depth++;
        } else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && --depth === 0) {
          end = j;
          break;
        }
      }
      this.depth = depth;
      this.inString = inString;
      this.escaped = escaped;
      if (end < 0) {
        if (j < length) {
          // Byte j would be one past the limit.
          this.scanned += j + 1;
          out.push(this.failWith('frame-too-large', `${REASON.frameTooLarge}: over ${maxFrameBytes} bytes`));
          return out;
        }
        break;
      }
      let frame: Uint8Array;
      if (this.buffered > 0) {
        this.append(chunk.subarray(frameStart, end + 1));
        frame = this.buffer.subarray(0, this.buffered);
      } else {
        frame = chunk.subarray(frameStart, end + 1);
      }
      const result = this.parseFrame(frame);
      out.push(result);
      if (!result.ok) {
        this.scanned += end + 1;
        return out;
      }
      this.inFrame = false;
      this.buffered = 0;
      // Give back the memory of an unusually large object; keep a small buffer for reuse.
      if (this.buffer.length > RETAINED_CAPACITY) this.buffer = new Uint8Array(0);
      i = end + 1;
    }
    this.scanned += length;
    if (this.inFrame) this.append(chunk.subarray(frameStart));
    return out;
  }

  private failWith(code: DeframeErrorCode, detail: string): DeframeResult {
    this.hasFailed = true;
    this.inFrame = false;
    this.buffer = new Uint8Array(0);
    this.buffered = 0;
    return { ok: false, code, detail };
  }

  private append(bytes: Uint8Array): void {
    const needed = this.buffered + bytes.length;
    if (needed > this.buffer.length) {
      let capacity = Math.max(this.buffer.length, INITIAL_CAPACITY);
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(Math.min(capacity, Math.max(this.maxFrameBytes, needed)));
      grown.set(this.buffer.subarray(0, this.buffered), 0);
      this.copied += this.buffered;
      this.buffer = grown;
    }
    this.buffer.set(bytes, this.buffered);
    this.buffered = needed;
    this.copied += bytes.length;
  }

  private parseFrame(bytes: Uint8Array): DeframeResult {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return this.failWith('invalid-json', `${REASON.invalidJson}: not valid UTF-8`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.failWith('invalid-json', `${REASON.invalidJson}: ${(error as Error).message}`);
    }
    // Nesting is tracked bracket-blind (`{]` closes too), so check what JSON.parse made.
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.failWith('not-an-object', REASON.notAnObject);
    }
    return { ok: true, value: value as Record<string, unknown> };
  }
}
