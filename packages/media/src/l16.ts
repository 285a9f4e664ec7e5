/** The L16 payload of v2 media: 16-bit samples in network byte order (big-endian), RFC 3551 section 4.5.11. */
import { allocateBytes, allocateFrame } from './frame-slab.js';

/** Whether this host stores an Int16Array little-endian (then L16 bytes are its bytes swapped in pairs). */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Swaps the byte pairs of `bytes` in place: natively (Buffer.swap16) for long frames, in a loop below 256 samples, where making the Buffer view costs more. */
function swapPairs(bytes: Uint8Array): void {
  if (bytes.length >= 512) {
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap16();
    return;
  }
  for (let j = 0; j < bytes.length; j += 2) {
    const high = bytes[j]!;
    bytes[j] = bytes[j + 1]!;
    bytes[j + 1] = high;
  }
}

/** The L16 payload of `samples`: two bytes a sample, most significant first (a new array, carved from the frame slab). */
export function encodeL16(samples: Int16Array): Uint8Array {
  const bytes = allocateBytes(samples.length * 2);
  bytes.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  if (HOST_LITTLE_ENDIAN) swapPairs(bytes);
  return bytes;
}

/** The samples of an L16 payload (a new array, carved from the frame slab), or undefined when its length is odd. */
export function decodeL16(payload: Uint8Array): Int16Array | undefined {
  if (payload.length % 2 !== 0) return undefined;
  const samples = allocateFrame(payload.length / 2);
  const bytes = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  bytes.set(payload);
  if (HOST_LITTLE_ENDIAN) swapPairs(bytes);
  return samples;
}

/**
 * {@link decodeL16} without a copy, for a payload the caller gives up (bytes of their
 * own that nothing reads afterwards, such as a payload just decrypted): swapped in
 * place and returned as samples over the same memory. Copied as `decodeL16` does only
 * when its offset is odd (samples need an even one). Undefined when its length is odd.
 */
export function decodeL16InPlace(payload: Uint8Array): Int16Array | undefined {
  if (payload.length % 2 !== 0) return undefined;
  if (payload.byteOffset % 2 !== 0) return decodeL16(payload);
  if (HOST_LITTLE_ENDIAN) swapPairs(payload);
  return new Int16Array(payload.buffer, payload.byteOffset, payload.length / 2);
}
