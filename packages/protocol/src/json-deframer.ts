import { MAX_DIRECTORY_FRAME_BYTES } from './constants.js';

/** Why a directory stream was refused. After any of these the deframer yields nothing more. */
export type DeframeErrorCode = 'frame-too-large' | 'invalid-json' | 'not-an-object';

/** One item cut from the stream: a JSON object, or the error that ends the stream. */
export type DeframeResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly code: DeframeErrorCode; readonly detail: string };

/** Options of {@link createJsonDeframer}. */
export interface JsonDeframerOptions {
  /** Largest object accepted, in bytes; default 64 KiB (PROTOCOL.md section 1). */
  readonly maxFrameBytes?: number;
}

/** An incremental splitter of a TCP byte stream into JSON objects. */
export interface JsonDeframer {
  /**
   * Feeds bytes as they arrive, split anywhere; returns every object completed by
   * them, in order. Objects may be separated by newlines or written back to back.
   * Returns an error result (once) when the stream goes bad; never throws.
   */
  push(chunk: Uint8Array): DeframeResult[];
  /** Bytes held for an object not yet complete. */
  readonly bufferedBytes: number;
  /** True once an error was returned: the stream must be closed. */
  readonly failed: boolean;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** True for the first byte of some JSON value: `{ [ " -`, a digit, or `t f n`. */
function canStartJson(b: number): boolean {
  return b === OPEN_BRACE || b === OPEN_BRACKET || b === QUOTE || b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e;
}

/**
 * Creates a deframer for the directory protocol. It tracks JSON nesting outside
 * strings to find where each object ends, so it needs no separator; its scanning
 * state survives between chunks, so a stream trickled a byte at a time costs
 * linear time. Scanning bytes is safe for UTF-8: structural characters are ASCII
 * and never occur inside a multi-byte sequence.
 */
export function createJsonDeframer(options: JsonDeframerOptions = {}): JsonDeframer {
  const maxFrameBytes = options.maxFrameBytes ?? MAX_DIRECTORY_FRAME_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Uint8Array = new Uint8Array(0);
  // Scan state over `pending`: where the current frame starts (-1: between frames),
  // how far it was scanned, and the nesting state at that point.
  let start = -1;
  let scanned = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let lineMode = false;
  let failed = false;

  function failWith(code: DeframeErrorCode, detail: string): DeframeResult {
    failed = true;
    pending = new Uint8Array(0);
    return { ok: false, code, detail };
  }

  function parseFrame(bytes: Uint8Array): DeframeResult {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return failWith('invalid-json', 'message is not valid UTF-8');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return failWith('invalid-json', `message is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return failWith('not-an-object', 'message must be a JSON object');
    }
    return { ok: true, value: value as Record<string, unknown> };
  }

  function push(chunk: Uint8Array): DeframeResult[] {
    if (failed || chunk.length === 0) return [];
    if (pending.length === 0) {
      pending = chunk;
    } else {
      const joined = new Uint8Array(pending.length + chunk.length);
      joined.set(pending, 0);
      joined.set(chunk, pending.length);
      pending = joined;
    }
    const out: DeframeResult[] = [];
    let consumed = 0;
    let i = scanned;
    const buf = pending;
    while (i < buf.length) {
      if (lineMode) {
        // Not an object: read to the end of the line to tell bad JSON from a non-object.
        const end = buf.indexOf(NEWLINE, i);
        if (end < 0) {
          i = buf.length;
          if (i - start > maxFrameBytes) {
            out.push(failWith('frame-too-large', `message exceeds ${maxFrameBytes} bytes`));
            return out;
          }
          break;
        }
        const parsed = parseFrame(buf.subarray(start, end));
        out.push(parsed.ok ? failWith('not-an-object', 'message must be a JSON object') : parsed);
        return out;
      }
      const b = buf[i]!;
      if (start < 0) {
        if (isSpace(b)) {
          i++;
          consumed = i;
          continue;
        }
        start = i;
        if (b !== OPEN_BRACE) {
          if (!canStartJson(b)) {
            out.push(failWith('invalid-json', 'message is not JSON'));
            return out;
          }
          lineMode = true;
          continue;
        }
        depth = 1;
        inString = false;
        escaped = false;
        i++;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) inString = false;
      } else if (b === QUOTE) {
        inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) {
          const frameLength = i + 1 - start;
          if (frameLength > maxFrameBytes) {
            out.push(failWith('frame-too-large', `message exceeds ${maxFrameBytes} bytes`));
            return out;
          }
          const result = parseFrame(buf.subarray(start, i + 1));
          out.push(result);
          if (!result.ok) return out;
          start = -1;
          consumed = i + 1;
        }
      }
      i++;
      if (start >= 0 && i - start > maxFrameBytes) {
        out.push(failWith('frame-too-large', `message exceeds ${maxFrameBytes} bytes`));
        return out;
      }
    }
    // Keep only the unfinished frame; copy so the caller's chunk can be reused.
    pending = consumed >= buf.length ? new Uint8Array(0) : buf.slice(consumed);
    scanned = i - consumed;
    if (start >= 0) start -= consumed;
    return out;
  }

  return {
    push,
    get bufferedBytes() {
      return pending.length;
    },
    get failed() {
      return failed;
    },
  };
}
