/** The L16 payload of v2 media: 16-bit samples in network byte order (big-endian), RFC 3551 section 4.5.11. */

/** The L16 payload of `samples`: two bytes a sample, most significant first (a new array). */
export function encodeL16(samples: Int16Array): Uint8Array {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!);
  return bytes;
}

/** The samples of an L16 payload (a new array), or undefined when its length is odd. */
export function decodeL16(payload: Uint8Array): Int16Array | undefined {
  if (payload.length % 2 !== 0) return undefined;
  const samples = new Int16Array(payload.length / 2);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2);
  return samples;
}
