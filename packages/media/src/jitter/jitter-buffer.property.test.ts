/** Property tests of the jitter buffer: whatever arrives, frames keep their size, no packet plays twice, counters add up. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.js';

type Event =
  | { readonly type: 'put'; readonly step: number; readonly delayMs: number; readonly offTimeline: boolean }
  | { readonly type: 'again'; readonly back: number }
  | { readonly type: 'get' };

const event: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('put' as const),
      step: fc.oneof(fc.integer({ min: -3, max: 4 }), fc.integer({ min: -40_000, max: 40_000 })),
      delayMs: fc.integer({ min: 0, max: 300 }),
      offTimeline: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('again' as const), back: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 4, arbitrary: fc.constant({ type: 'get' as const }) },
);

describe('jitter buffer properties', () => {
  it.each([160, 512])('%i-sample frames', (frameSamples) => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 400 }), (events) => {
        const period = (frameSamples * 1000) / 8000;
        const buffer = new JitterBuffer({ frameSamples });
        let now = 0;
        let sequence = 0;
        let gets = 0;
        let nextId = 1;
        const sent: { sequence: number; timestamp: number; id: number }[] = [];
        const played = new Set<number>();
        // A packet sent again (a network duplicate) carries the id of the original.
        const put = (s: number, t: number, id: number) => {
          const payload = new Int16Array(frameSamples);
          payload[frameSamples - 1] = id & 0x7fff; // the tail: untouched by the concealer's overlap-add
          payload[frameSamples - 2] = id >> 15;
          buffer.put({ sequence: s & 0xffff, timestamp: t >>> 0, payload }, now);
        };
        for (const e of events) {
          if (e.type === 'put') {
            sequence += e.step;
            const timestamp = e.offTimeline ? sequence * frameSamples + 77 : sequence * frameSamples;
            const id = nextId++;
            sent.push({ sequence, timestamp, id });
            now += e.delayMs / 10;
            put(sequence, timestamp, id);
          } else if (e.type === 'again') {
            const old = sent[sent.length - 1 - e.back];
            if (old) put(old.sequence, old.timestamp, old.id);
          } else {
            now += period;
            gets++;
            const frame = buffer.get(now);
            expect(frame.samples.length).toBe(frameSamples);
            expect(['played', 'concealed', 'silence']).toContain(frame.kind);
            if (frame.kind === 'played') {
              const id = frame.samples[frameSamples - 1]! | (frame.samples[frameSamples - 2]! << 15);
              expect(played.has(id)).toBe(false);
              played.add(id);
            } else {
              expect(frame.sequence).toBeUndefined();
            }
          }
          const s = buffer.stats();
          expect(s.received).toBe(s.played + s.late + s.duplicate + s.discarded + s.buffered);
          expect(s.played + s.concealed + s.silent).toBe(gets);
          expect(s.played).toBe(played.size);
          expect(s.targetDelayMs).toBeGreaterThanOrEqual(period);
          expect(s.targetDelayMs).toBeLessThanOrEqual(Math.max(240, period));
        }
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
