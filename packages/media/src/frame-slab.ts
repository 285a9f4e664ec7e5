/**
 * Frame memory carved from shared slabs. A 1 KiB typed array of its own costs a fresh
 * backing store (an allocation the garbage collector tracks apart); a view into a
 * 64 KiB slab costs only the view. With hundreds of calls in a process that is the
 * difference between a few and a dozen allocations per frame event.
 *
 * Slots are never reused: each one is zeroed, handed out once and belongs to whoever
 * got it, so frames stay independent. The price: a slab is freed only once all its
 * frames are, so a frame kept for long holds up to 64 KiB.
 */

const SLAB_BYTES = 64 * 1024;

let slab = new ArrayBuffer(SLAB_BYTES);
let used = 0;

/** `byteLength` zeroed bytes of their own, at an offset aligned to 8 bytes. */
export function allocateBytes(byteLength: number): Uint8Array {
  if (!(Number.isInteger(byteLength) && byteLength >= 0)) throw new RangeError(`cannot allocate ${byteLength} bytes`);
  if (byteLength > SLAB_BYTES / 4) return new Uint8Array(byteLength);
  if (used + byteLength > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const bytes = new Uint8Array(slab, used, byteLength);
  used += (byteLength + 7) & ~7;
  return bytes;
}

/** A zeroed frame of `samples` samples, its own (see the module comment). */
export function allocateFrame(samples: number): Int16Array {
  const bytes = allocateBytes(samples * 2);
  return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
}
