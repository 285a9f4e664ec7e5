/** The short authentication string: the leftmost 20 bits of a derived value as four characters of ZRTP's base32 alphabet (RFC 6189 section 5.1.6). */

/** ZRTP's B32 alphabet (RFC 6189 section 5.1.6), chosen to be read aloud without confusion. */
export const SAS_ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** Bits a SAS carries: a man in the middle goes unnoticed with probability 2^-20. */
export const SAS_BITS = 20;

/** Four characters from the leftmost 20 bits of `bytes` (at least 3 bytes), most significant first. */
export function renderSas(bytes: Uint8Array): string {
  if (bytes.length < 3) throw new RangeError('a SAS needs at least 3 bytes');
  const bits = (bytes[0]! << 12) | (bytes[1]! << 4) | (bytes[2]! >>> 4);
  let sas = '';
  for (let shift = 15; shift >= 0; shift -= 5) sas += SAS_ALPHABET[(bits >>> shift) & 31];
  return sas;
}
