/** Tests of call media: sending, playout, duplicates, bad sizes, bursts, stop and failures. */
import { encodeClassicPcm } from '@voip/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '@voip/clock';
import { datagram, recordingSink, setup } from '../test/support/call-media-harness.js';
import { createCallMedia } from './call-media.js';
import { AudioFormatMismatchError } from './errors.js';
import { createSilenceSource, createToneSource } from './generators.js';

describe('createCallMedia', () => {
  it('hands send datagrams that stay valid after later frames', async () => {
    const reference = createToneSource(440);
    const { clock, sent, media } = setup(createToneSource(440));
    media.start();
    clock.advance(64 * 5);
    expect(sent).toHaveLength(6);
    for (const d of sent) expect(Array.from(d)).toEqual(Array.from(encodeClassicPcm(reference.readFrame()!)));
    await media.stop();
  });

  it('plays what was received even when the caller reuses its receive buffer', async () => {
    const { clock, sink, media } = setup(undefined, { maxBacklogFrames: 8 });
    const buffer = new Uint8Array(1024);
    const view = new DataView(buffer.buffer);
    // A burst of six frames in one instant: four wait in the playout queue.
    for (let v = 1; v <= 6; v++) {
      for (let i = 0; i < 512; i++) view.setInt16(i * 2, v, true);
      media.receive(buffer);
    }
    buffer.fill(0x55);
    clock.advance(64 * 8);
    expect(sink.frames.map((f) => [f[0], f[511]])).toEqual([1, 2, 3, 4, 5, 6].map((v) => [v, v]));
    await media.stop();
  });

  it('sends 1024-byte s16le datagrams every 64 ms and meters the input', async () => {
    const tone = createToneSource(440);
    const { clock, sent, media } = setup(tone);
    media.start();
    clock.advance(64 * 9);
    expect(sent).toHaveLength(10);
    expect(sent.every((d) => d.length === 1024)).toBe(true);
    const s = media.stats();
    expect(s.packetsSent).toBe(10);
    expect(s.inputLevelDbfs).toBeGreaterThan(-16);
    expect(s.inputLevelDbfs).toBeLessThan(-14);
    await media.stop();
  });

  it('plays a paced stream through untouched', async () => {
    const { sink, media, deliver } = setup();
    deliver([1, 2, 3, 4, 5, 6]);
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 3, 4, 5, 6]);
    const s = media.stats();
    expect(s).toMatchObject({ packetsReceived: 6, packetsLost: 0, packetsDropped: 0, framesConcealed: 0 });
    expect(s.outputLevelDbfs).toBeCloseTo(20 * Math.log10(6 / 32768), 5);
    await media.stop();
  });

  it('meters the last datagram played, whatever the sink or the caller do with their copies later', async () => {
    const { clock, sink, media } = setup();
    const buffer = encodeClassicPcm(new Int16Array(512).fill(100));
    clock.advance(64);
    media.receive(buffer);
    sink.frames[0]!.fill(0);
    buffer.fill(0);
    clock.advance(64);
    media.receive(new Uint8Array(10));
    expect(media.stats().outputLevelDbfs).toBeCloseTo(20 * Math.log10(100 / 32768), 5);
    expect(media.stats().droppedBadSize).toBe(1);
    await media.stop();
  });

  it('tolerates jitter below the loss threshold without inserting anything', async () => {
    const { clock, sink, media } = setup();
    const arrivals = [0, 64 + 40, 128 + 5, 192 + 45, 256, 320 + 30];
    for (const [i, at] of arrivals.entries()) {
      clock.advanceTo(1000 + at);
      media.receive(datagram(i + 1));
    }
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(media.stats().packetsLost).toBe(0);
    await media.stop();
  });

  it('conceals a gap with silence for the missing periods', async () => {
    const { clock, sink, media, deliver } = setup();
    deliver([1, 2]);
    clock.advance(64 * 2); // frame 3 lost
    media.receive(datagram(4));
    clock.advance(64 * 4); // frames 5, 6, 7 lost
    media.receive(datagram(8));
    clock.advance(64 * 4); // let the playout queue drain
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 0, 4, 0, 0, 0, 8]);
    expect(media.stats()).toMatchObject({ packetsLost: 4, framesConcealed: 4, packetsDropped: 0 });
    await media.stop();
  });

  it('caps concealment of a long outage below the backlog bound', async () => {
    const { clock, sink, media, deliver } = setup();
    deliver([1]);
    clock.advance(64 * 100);
    media.receive(datagram(2));
    clock.advance(64 * 10);
    const s = media.stats();
    expect(s.packetsLost).toBe(99);
    expect(s.framesConcealed).toBe(7);
    expect(sink.frames).toHaveLength(9);
    expect(sink.frames.at(-1)![0]).toBe(2);
    await media.stop();
  });

  it('drops an exact duplicate within half a period, but not a repeat a period later', async () => {
    const { clock, sink, media, deliver } = setup();
    deliver([1]);
    clock.advance(10);
    expect(media.receive(datagram(1)), 'a duplicate is not taken').toBe(false);
    deliver([1], 54); // same bytes, one period after the first: a real frame
    clock.advance(5);
    expect(media.receive(datagram(7)), 'different bytes: a burst, written through').toBe(true);
    expect(sink.frames.map((f) => f[0])).toEqual([1, 1, 7]);
    expect(media.stats()).toMatchObject({ droppedDuplicate: 1, packetsDropped: 1, packetsReceived: 4 });
    await media.stop();
  });

  it('reports the v2 counters as classic media counts them: bad sizes rejected, repeats replayed, silence fills concealed, no timestamps', async () => {
    const { clock, media, deliver } = setup();
    deliver([1, 2]);
    clock.advance(10);
    media.receive(datagram(2)); // an exact repeat
    media.receive(new Uint8Array(1025));
    clock.advance(64 * 2 - 10); // frame 3 lost
    media.receive(datagram(4));
    clock.advance(64 * 4);
    expect(media.stats()).toMatchObject({
      packetsRejected: 1,
      droppedBadSize: 1,
      packetsReplayed: 1,
      droppedDuplicate: 1,
      packetsLate: 0,
      packetsConcealed: 1,
      framesConcealed: 1,
      jitterMs: 0,
      playoutDelayMs: 0,
    });
    await media.stop();
  });

  it.each([0, 1, 64, 1023, 1025, 2048])('drops a datagram of %i bytes', async (size) => {
    const { sink, media } = setup();
    expect(media.receive(new Uint8Array(size))).toBe(false);
    expect(sink.frames).toHaveLength(0);
    expect(media.stats()).toMatchObject({ packetsReceived: 1, droppedBadSize: 1, packetsDropped: 1 });
    await media.stop();
  });

  it('writes a burst through, queues the rest, and drops the oldest beyond the bound', async () => {
    const { clock, sink, media } = setup();
    clock.advance(100);
    for (let i = 1; i <= 20; i++) media.receive(datagram(i)); // 20 frames at once
    // Two go straight to the sink; of the rest, only the newest six fit under the 8-frame bound.
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2]);
    expect(media.stats()).toMatchObject({ droppedOverflow: 12, packetsDropped: 12, playoutBacklogFrames: 8 });
    // The peer goes on sending one frame per period; the queue drains one per period.
    for (let i = 21; i <= 26; i++) {
      clock.advance(64);
      media.receive(datagram(i));
      expect(sink.frames.at(-1)![0]).toBe(i - 6); // 15, 16, ... as they come up
      expect(media.stats().playoutBacklogFrames).toBeLessThanOrEqual(8);
    }
    clock.advance(64 * 8);
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    expect(media.stats()).toMatchObject({ packetsLost: 0, droppedOverflow: 12, playoutBacklogFrames: 0 });
    await media.stop();
  });

  it('stop() writes what is still queued before closing the sink', async () => {
    const { clock, sink, media } = setup();
    clock.advance(100);
    for (let i = 1; i <= 5; i++) media.receive(datagram(i));
    expect(sink.frames).toHaveLength(2);
    await media.stop();
    expect(sink.frames.map((f) => f[0])).toEqual([1, 2, 3, 4, 5]);
    expect(sink.closed).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('stop() stops the pump and closes source and sink; later datagrams are ignored', async () => {
    const closed: string[] = [];
    const source = { ...createSilenceSource(), close: async () => void closed.push('source') };
    const { clock, sink, sent, media } = setup(source);
    media.start();
    clock.advance(64);
    await media.stop();
    await media.stop();
    clock.advance(640);
    expect(sent).toHaveLength(2);
    expect(closed).toEqual(['source']);
    expect(sink.closed).toBe(true);
    media.receive(datagram(1));
    expect(media.stats().packetsReceived).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('counts send and sink failures and reports them', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    const sink = {
      ...recordingSink(),
      writeFrame: () => {
        throw new Error('sink broke');
      },
    };
    const media = createCallMedia({
      source: createSilenceSource(),
      sink,
      clock,
      send: () => {
        throw new Error('network down');
      },
      onError: (e) => errors.push(e),
    });
    media.start();
    clock.advance(64);
    media.receive(datagram(3));
    expect(media.stats()).toMatchObject({ packetsSent: 2, sendErrors: 2, sinkErrors: 1 });
    expect(errors).toHaveLength(3);
    await media.stop();
  });

  it('refuses a source or sink in another format', () => {
    const odd = { ...createSilenceSource(), format: { sampleRate: 16000, samplesPerFrame: 512 } };
    expect(() => createCallMedia({ source: odd, sink: recordingSink(), send: () => {} })).toThrow(AudioFormatMismatchError);
  });

  it('keeps order, accounts for every datagram and bounds the backlog under any arrival pattern', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ wait: fc.nat(300), repeat: fc.boolean(), badSize: fc.boolean() }), { maxLength: 80 }), (steps) => {
        const { clock, sink, media } = setup();
        let value = 0;
        for (const step of steps) {
          clock.advance(step.wait);
          if (step.badSize) media.receive(new Uint8Array(100));
          media.receive(datagram(step.repeat && value > 0 ? value : ++value));
          expect(media.stats().playoutBacklogFrames).toBeLessThanOrEqual(8);
        }
        clock.advance(64 * 20); // drain the playout queue
        const s = media.stats();
        expect(s.packetsReceived).toBe(steps.length + steps.filter((x) => x.badSize).length);
        expect(sink.frames.length).toBe(s.packetsReceived - s.packetsDropped + s.framesConcealed);
        const played = sink.frames.map((f) => f[0]!).filter((v) => v !== 0);
        for (let i = 1; i < played.length; i++) expect(played[i]!).toBeGreaterThanOrEqual(played[i - 1]!);
        expect(s.framesConcealed).toBeLessThanOrEqual(s.packetsLost);
      }),
    );
  });
});
