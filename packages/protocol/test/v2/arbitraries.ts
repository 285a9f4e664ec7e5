/** fast-check generators for v2 messages and caps, shared by the v2 property tests. */
import fc from 'fast-check';
import type { ChosenFormat, MediaFormat, V2Signal } from '../../src/v2/index.js';

/** A valid user name (PROTOCOL.md section 1). */
export const name = fc.stringMatching(/^[A-Za-z0-9._-](?:[A-Za-z0-9 ._-]{0,30}[A-Za-z0-9._-])?$/);

const u32 = fc.integer({ min: 0, max: 0xffffffff });

/** A media format within the wire's ranges. */
export const mediaFormat: fc.Arbitrary<MediaFormat> = fc.record({
  codec: fc.integer({ min: 1, max: 255 }),
  payloadType: fc.integer({ min: 0, max: 127 }),
  clockRate: fc.integer({ min: 1, max: 0xffffffff }),
  channels: fc.integer({ min: 1, max: 255 }),
  frameSizes: fc.array(fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 8 }),
});

/** A chosen format within the wire's ranges. */
export const chosenFormat: fc.Arbitrary<ChosenFormat> = fc.record({
  codec: fc.integer({ min: 1, max: 255 }),
  payloadType: fc.integer({ min: 0, max: 127 }),
  clockRate: fc.integer({ min: 1, max: 0xffffffff }),
  channels: fc.integer({ min: 1, max: 255 }),
  frameSize: fc.integer({ min: 1, max: 0xffff }),
});

const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });

/** Any valid v2 signalling message. */
export const v2Signal: fc.Arbitrary<V2Signal> = fc.record({ callId: bytes(8).map((b) => Buffer.from(b).toString('hex')), messageId: u32 }).chain((base) =>
  fc.oneof(
    fc
      .record({ type: fc.constant('OFFER' as const), caller: name, callee: name, ssrc: u32, caps: fc.array(mediaFormat, { minLength: 1, maxLength: 8 }), commitment: bytes(32) })
      .map((m) => ({ ...base, ...m })),
    fc.record({ type: fc.constantFrom('RINGING' as const, 'KEY' as const), publicKey: bytes(32) }).map((m) => ({ ...base, ...m })),
    fc.record({ type: fc.constant('ANSWER' as const), ssrc: u32, format: chosenFormat }).map((m) => ({ ...base, ...m })),
    fc.record({ type: fc.constantFrom('REJECT' as const, 'BUSY' as const, 'CANCEL' as const, 'BYE' as const) }).map((m) => ({ ...base, ...m })),
    fc.record({ type: fc.constant('ACK' as const), acknowledges: u32 }).map((m) => ({ ...base, ...m })),
  ),
);
