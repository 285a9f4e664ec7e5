/** The L16 payload of v2 media: 16-bit samples in network byte order (big-endian), RFC 3551 section 4.5.11. */

/** Whether this host stores an Int16Array little-endian (then L16 bytes are its bytes swapped in pairs). */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The L16 payload of `samples`: two bytes a sample, most significant first (a new array). */
export function encodeL16(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  bytes.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
  // Buffer.swap16 swaps in place, natively for longer arrays: a frame costs one copy and one swap.
  if (HOST_LITTLE_ENDIAN) Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).swap16();
  return bytes;
}

/** The samples of an L16 payload (a new array), or undefined when its length is odd. */
export function decodeL16(payload: Uint8Array): Int16Array | undefined {
  if (payload.length % 2 !== 0) return undefined;
  const samples = new Int16Array(payload.length / 2);
  const bytes = new Uint8Array(samples.buffer);
  bytes.set(payload);
  if (HOST_LITTLE_ENDIAN) Buffer.from(samples.buffer).swap16();
  return samples;
}
