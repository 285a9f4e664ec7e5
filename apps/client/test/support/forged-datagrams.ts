/**
 * Datagrams an attacker on the path can make without the call's keys (docs/v2-wire.md):
 * junk, classic words, and v2 signalling and RTP that look right (the call id and SSRC
 * read off the wire) but carry a made-up tag. Deterministic from a seed.
 */

/** One forged datagram and what it imitates. */
export interface Forgery {
  readonly kind: string;
  readonly bytes: Uint8Array;
}

/** What the attacker read off the wire of a v2 call. */
export interface ObservedCall {
  /** The 8-byte call id of the signalling (bytes 4-11 of its header). */
  readonly callId: Uint8Array;
  /** The SSRC of the stream it imitates, and the highest sequence number seen of it. */
  readonly ssrc: number;
  readonly sequence: number;
  readonly timestamp: number;
}

/** xorshift32 bytes from `seed`. */
function seededBytes(seed: number): (count: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (count) => {
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

/** A v2 signalling header (section 2.1) of `type` for the observed call, `sealed` or not, then `body`. */
function signal(call: ObservedCall, type: number, sealed: boolean, messageId: number, body: Uint8Array): Uint8Array {
  const out = Buffer.alloc(16 + body.length);
  out.set([0x0e, 0x02, type, sealed ? 0x01 : 0x00], 0);
  out.set(call.callId, 4);
  out.writeUInt32BE(messageId, 12);
  out.set(body, 16);
  return out;
}

/** The v2 signal types forged (section 2.1). */
const CANCEL = 7;
const BYE = 8;

/**
 * `perKind` datagrams of each kind: random junk (never 1024 bytes), classic `CLOSE`,
 * classic-sized audio, sealed BYE and CANCEL with a made-up tag, cleartext BYE and
 * CANCEL, and 20 ms RTP of the observed stream (ahead of it) with a made-up tag.
 * None of them can be authentic.
 */
export function forgeries(call: ObservedCall, perKind: number, seed: number): Forgery[] {
  const random = seededBytes(seed);
  const out: Forgery[] = [];
  for (let i = 0; i < perKind; i++) {
    const id = 0x7fff0000 + i;
    const junk = random(20 + (random(1)[0]! % 200));
    out.push({ kind: 'junk', bytes: junk });
    out.push({ kind: 'classic CLOSE', bytes: Buffer.from('CLOSE', 'ascii') });
    out.push({ kind: 'classic audio', bytes: random(1024) });
    out.push({ kind: 'sealed BYE', bytes: signal(call, BYE, true, id, random(16)) });
    out.push({ kind: 'sealed CANCEL', bytes: signal(call, CANCEL, true, id + 0x100, random(16)) });
    out.push({ kind: 'cleartext BYE', bytes: signal(call, BYE, false, id + 0x200, new Uint8Array(0)) });
    out.push({ kind: 'cleartext CANCEL', bytes: signal(call, CANCEL, false, id + 0x300, new Uint8Array(0)) });
    const rtp = Buffer.alloc(12 + 320 + 16);
    rtp.set([0x80, 0x60], 0);
    rtp.writeUInt16BE((call.sequence + 10 + i) & 0xffff, 2);
    rtp.writeUInt32BE((call.timestamp + (10 + i) * 160) >>> 0, 4);
    rtp.writeUInt32BE(call.ssrc >>> 0, 8);
    rtp.set(random(320 + 16), 12);
    out.push({ kind: 'RTP', bytes: rtp });
  }
  return out;
}

/** The call id, SSRC and last sequence number of `from`'s stream, from its datagrams on the wire (signalling and RTP). */
export function observeCall(datagrams: readonly Uint8Array[]): ObservedCall {
  const signalling = datagrams.find((d) => d.length >= 16 && d[0] === 0x0e);
  const media = datagrams.filter((d) => d.length >= 28 && d[0]! >= 0x80 && d[0]! < 0xc0 && d.length !== 1024);
  const last = media.at(-1);
  if (!signalling || !last) throw new Error(`no v2 call on the wire: ${datagrams.length} datagrams, ${media.length} RTP`);
  const view = Buffer.from(last.buffer, last.byteOffset, last.byteLength);
  return { callId: Uint8Array.from(signalling.subarray(4, 12)), ssrc: view.readUInt32BE(8), sequence: view.readUInt16BE(2), timestamp: view.readUInt32BE(4) };
}
