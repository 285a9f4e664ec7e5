/** Tests of the re-framer: frames of one size cut into another sample for sample, at every split, and the source and sink wrapped with it. */
import { describe, expect, it } from 'vitest';
import type { AudioSink, AudioSource } from './audio-port.js';
import { Reframer, reframeSink, reframeSource } from './reframer.js';

/** Samples 0, 1, 2, ... cut into frames of the given sizes. */
function counting(sizes: number[]): Int16Array[] {
  let n = 0;
  return sizes.map((size) => Int16Array.from({ length: size }, () => n++));
}

const concat = (frames: Int16Array[]) => frames.flatMap((f) => Array.from(f));

describe('Reframer', () => {
  it('cuts 512-sample frames into 160-sample ones and keeps the rest: 5 in, 16 out', () => {
    const r = new Reframer(160);
    const out: Int16Array[] = [];
    for (const frame of counting([512, 512, 512, 512, 512])) {
      r.push(frame);
      for (let f = r.take(); f; f = r.take()) out.push(f);
    }
    expect(out).toHaveLength(16);
    expect(out.every((f) => f.length === 160)).toBe(true);
    expect(concat(out)).toEqual(concat(counting([2560])));
    expect(r.buffered).toBe(0);
  });

  it('joins 160-sample frames into 512-sample ones', () => {
    const r = new Reframer(512);
    const takenAfter: number[] = [];
    const out: Int16Array[] = [];
    for (const [i, frame] of counting(Array(16).fill(160)).entries()) {
      r.push(frame);
      for (let f = r.take(); f; f = r.take()) {
        out.push(f);
        takenAfter.push(i + 1);
      }
    }
    expect(takenAfter).toEqual([4, 7, 10, 13, 16]);
    expect(concat(out)).toEqual(concat(counting([2560])));
  });

  it.each([1, 7, 159, 160, 161, 512, 1000])('gives the same stream whatever the input frame size (%i)', (size) => {
    const r = new Reframer(160);
    const out: Int16Array[] = [];
    const total = 160 * 9 + 37;
    for (const frame of counting([...Array(Math.floor(total / size)).fill(size), total % size].filter((n) => n > 0))) {
      r.push(frame);
      for (let f = r.take(); f; f = r.take()) out.push(f);
    }
    expect(out).toHaveLength(9);
    expect(r.buffered).toBe(37);
    const last = r.flush()!;
    expect(Array.from(last.subarray(0, 37))).toEqual(concat(counting([total])).slice(160 * 9));
    expect(Array.from(last.subarray(37)).every((s) => s === 0)).toBe(true);
    expect(concat(out)).toEqual(concat(counting([total])).slice(0, 160 * 9));
    expect(r.flush()).toBeUndefined();
  });

  it('hands out frames of their own that later pushes do not change', () => {
    const r = new Reframer(4);
    const input = Int16Array.of(1, 2, 3, 4, 5);
    r.push(input);
    const first = r.take()!;
    input.fill(9);
    r.push(Int16Array.of(6, 7, 8));
    expect(Array.from(first)).toEqual([1, 2, 3, 4]);
    expect(Array.from(r.take()!)).toEqual([5, 6, 7, 8]);
  });

  it('refuses a frame size that is not a positive integer', () => {
    expect(() => new Reframer(0)).toThrow(RangeError);
    expect(() => new Reframer(2.5)).toThrow(RangeError);
  });
});

describe('reframeSource and reframeSink', () => {
  function finiteSource(frames: Int16Array[]): AudioSource & { closed: boolean } {
    const s = {
      format: { sampleRate: 8000, samplesPerFrame: frames[0]!.length },
      label: 'finite',
      closed: false,
      readFrame: () => frames.shift() ?? null,
      async close() {
        s.closed = true;
      },
    };
    return s;
  }

  it('reads a 512-sample source as 160-sample frames, the last one zero-padded, then null', async () => {
    const source = finiteSource(counting([512, 512]));
    const framed = reframeSource(source, 160);
    expect(framed.format).toEqual({ sampleRate: 8000, samplesPerFrame: 160 });
    const out: Int16Array[] = [];
    for (let f = framed.readFrame(); f; f = framed.readFrame()) out.push(f);
    expect(out).toHaveLength(7);
    expect(concat(out).slice(0, 1024)).toEqual(concat(counting([1024])));
    expect(
      concat(out)
        .slice(1024)
        .every((s) => s === 0),
    ).toBe(true);
    expect(framed.readFrame()).toBeNull();
    await framed.close();
    expect(source.closed).toBe(true);
  });

  it('writes a 512-sample sink whole frames, and what is left zero-padded on close', async () => {
    const written: Int16Array[] = [];
    let closed = false;
    const sink: AudioSink = {
      format: { sampleRate: 8000, samplesPerFrame: 512 },
      label: 'recording',
      writeFrame: (f) => written.push(f),
      close: async () => {
        closed = true;
      },
    };
    const framed = reframeSink(sink, 160);
    for (const f of counting(Array(7).fill(160))) framed.writeFrame(f);
    expect(written).toHaveLength(2);
    expect(() => framed.writeFrame(new Int16Array(512))).toThrow(RangeError);
    await framed.close();
    expect(closed).toBe(true);
    expect(written).toHaveLength(3);
    expect(concat(written).slice(0, 1120)).toEqual(concat(counting([1120])));
    expect(
      concat(written)
        .slice(1120)
        .every((s) => s === 0),
    ).toBe(true);
  });

  it('leaves a source or sink whose frames already have the size as it is', () => {
    const source = finiteSource(counting([160]));
    expect(reframeSource(source, 160)).toBe(source);
    const sink: AudioSink = { format: { sampleRate: 8000, samplesPerFrame: 160 }, label: 's', writeFrame() {}, close: async () => {} };
    expect(reframeSink(sink, 160)).toBe(sink);
  });
});
