/** Byte helpers for the v2 codecs: a bounds-checked reader that never throws, a small writer, hex, and the injectable random source. */
import { randomBytes } from 'node:crypto';

/** A source of random bytes; inject a seeded one in tests, the system's CSPRNG otherwise. */
export type RandomBytes = (length: number) => Uint8Array;

/** The system's cryptographically secure random source (`node:crypto` `randomBytes`). */
export const systemRandom: RandomBytes = (length) => new Uint8Array(randomBytes(length));

/**
 * Reads big-endian fields from untrusted bytes. Reading past the end never throws: it
 * sets `failed` and yields zeros, so a decoder reads every field and checks once.
 * @internal
 */
export class ByteReader {
  private offset = 0;
  /** True once any read ran past the end. */
  failed = false;

  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes left to read. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** True when every read succeeded and nothing is left over. */
  get complete(): boolean {
    return !this.failed && this.remaining === 0;
  }

  /** The next `length` bytes (a view), or empty bytes and `failed` when too few remain. */
  take(length: number): Uint8Array {
    if (this.failed || length > this.remaining) {
      this.failed = true;
      return new Uint8Array(0);
    }
    const view = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return view;
  }

  /** An unsigned 8-bit integer. */
  u8(): number {
    const b = this.take(1);
    return b.length === 1 ? b[0]! : 0;
  }

  /** An unsigned 16-bit big-endian integer. */
  u16(): number {
    const b = this.take(2);
    return b.length === 2 ? (b[0]! << 8) | b[1]! : 0;
  }

  /** An unsigned 32-bit big-endian integer. */
  u32(): number {
    const b = this.take(4);
    return b.length === 4 ? ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 : 0;
  }
}

/**
 * Appends big-endian fields; the caller has validated every value first.
 * @internal
 */
export class ByteWriter {
  private readonly parts: number[] = [];

  /** Appends one byte. */
  u8(value: number): this {
    this.parts.push(value & 0xff);
    return this;
  }

  /** Appends an unsigned 16-bit big-endian integer. */
  u16(value: number): this {
    return this.u8(value >>> 8).u8(value);
  }

  /** Appends an unsigned 32-bit big-endian integer. */
  u32(value: number): this {
    return this.u8(value >>> 24)
      .u8(value >>> 16)
      .u8(value >>> 8)
      .u8(value);
  }

  /** Appends bytes. */
  bytes(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** The bytes of a lower-case or upper-case hex string of even length. @internal */
export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** True when `value` is an integer in `[min, max]`. @internal */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
