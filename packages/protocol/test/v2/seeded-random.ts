/** A deterministic random source for the v2 tests: SHA-256 in counter mode over a seed, so every run draws the same keys. */
import { createHash } from 'node:crypto';
import type { RandomBytes } from '../../src/v2/index.js';

/** Bytes that depend only on `seed` and how many were drawn before. */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let filled = 0; filled < length; counter++) {
      const block = createHash('sha256').update(`${seed}/${counter}`).digest();
      const n = Math.min(block.length, length - filled);
      out.set(block.subarray(0, n), filled);
      filled += n;
    }
    return out;
  };
}
