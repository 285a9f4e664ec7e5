/** Scripted tests of the jitter buffer in the manner of pjmedia's `jbuf_test`: put, get, lost, duplicate, old, jump, burst. */

import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitter-buffer.js';
import type { JitterBufferOptions, JitterStats } from './jitter-types.js';

const FRAME = 160;
const PERIOD = 20;

/**
 * Runs a script, one letter an event: `P` the next packet arrives now, `G` a period
 * passes and a frame is taken, `L` the next packet is lost, `D` the last packet arrives
 * again, `O` a packet already played arrives again, `R` the next two packets arrive
 * now in reverse order, `J` the sender restarts (sequence and timestamp jump). Returns
 * the kinds of the frames taken (`p`, `c`, `s`), the sequences played and the stats.
 */
function run(script: string, options: Partial<JitterBufferOptions> = {}, firstSequence = 1000) {
  const buffer = new JitterBuffer({ frameSamples: FRAME, ...options });
  let now = 0;
  let sequence = firstSequence;
  let timestamp = 90_000;
  let last = { sequence, timestamp };
  const put = (s: number, t: number) => buffer.put({ sequence: s & 0xffff, timestamp: t >>> 0, payload: new Int16Array(FRAME) }, now);
  const next = () => {
    last = { sequence: sequence & 0xffff, timestamp: timestamp >>> 0 };
    sequence++;
    timestamp += FRAME;
    return last;
  };
  let kinds = '';
  const played: number[] = [];
  const delays: number[] = [];
  for (const event of script.replace(/\s/g, '')) {
    if (event === 'P') {
      const p = next();
      put(p.sequence, p.timestamp);
    } else if (event === 'G') {
      now += PERIOD;
      const frame = buffer.get(now);
      kinds += frame.kind[0];
      if (frame.sequence !== undefined) played.push(frame.sequence);
      if (frame.kind !== 'silence') delays.push(buffer.stats().playoutDelayMs);
    } else if (event === 'L') next();
    else if (event === 'D') put(last.sequence, last.timestamp);
    else if (event === 'O') put(played.at(-1)!, 90_000 + (played.at(-1)! - firstSequence) * FRAME);
    else if (event === 'R') {
      const a = next();
      const b = next();
      put(b.sequence, b.timestamp);
      put(a.sequence, a.timestamp);
    } else if (event === 'J') {
      sequence += 20_000;
      timestamp += 123_456_789;
    } else throw new Error(`unknown event ${event}`);
  }
  return { kinds, played, stats: buffer.stats(), maxDelay: Math.max(0, ...delays), buffer };
}

/** The counters add up. */
function balanced(stats: JitterStats, gets: number) {
  expect(stats.received).toBe(stats.played + stats.late + stats.duplicate + stats.discarded + stats.buffered);
  expect(stats.played + stats.concealed + stats.silent).toBe(gets);
}

const repeat = (s: string, n: number) => s.repeat(n);

describe('jitter buffer, scripted', () => {
  it('nothing yet: silence', () => {
    const { kinds, stats } = run('GG');
    expect(kinds).toBe('ss');
    balanced(stats, 2);
  });

  it('steady stream: every packet played once, in order, one frame of delay', () => {
    const { kinds, played, stats, maxDelay } = run(repeat('PG', 100));
    expect(kinds).toBe('p'.repeat(100));
    expect(played).toEqual(Array.from({ length: 100 }, (_, i) => 1000 + i));
    expect(maxDelay).toBeLessThanOrEqual(PERIOD);
    expect(stats).toMatchObject({ late: 0, duplicate: 0, discarded: 0, concealed: 0, jitterMs: 0 });
    balanced(stats, 100);
  });

  it('lost: one concealed frame per lost packet, no silence', () => {
    const { kinds, stats } = run(repeat('PG', 20) + 'LG' + repeat('PG', 20) + 'LGLG' + repeat('PG', 10));
    expect(kinds).toBe('p'.repeat(20) + 'c' + 'p'.repeat(20) + 'cc' + 'p'.repeat(10));
    expect(stats).toMatchObject({ concealed: 3, silent: 0, late: 0 });
    balanced(stats, 53);
  });

  it('long loss: concealment for 60 ms, silence after', () => {
    const { kinds } = run(repeat('PG', 10) + repeat('LG', 6) + repeat('PG', 10));
    expect(kinds).toBe('p'.repeat(10) + 'cccsss' + 'p'.repeat(10));
  });

  it('duplicate: counted, never played twice', () => {
    const { played, stats } = run(repeat('PDG', 30) + repeat('PGD', 30));
    expect(new Set(played).size).toBe(played.length);
    expect(stats).toMatchObject({ duplicate: 60, played: 60, late: 0 });
    balanced(stats, 60);
  });

  it('old: a packet already played is a duplicate, not late', () => {
    const { stats } = run(repeat('PG', 20) + 'O' + repeat('PG', 5));
    expect(stats).toMatchObject({ duplicate: 1, late: 0, played: 25 });
  });

  it('late: dropped and counted; the delay grows so that the same lateness is then absorbed', () => {
    const { stats, maxDelay } = run(repeat('PG', 20) + 'GPPG' + repeat('PG', 100) + 'GPPG' + repeat('PG', 20));
    expect(stats.late).toBe(1);
    expect(maxDelay).toBeLessThanOrEqual(3 * PERIOD);
    balanced(stats, 20 + 2 + 100 + 2 + 20);
  });

  it('reorder: swapped pairs arriving together all play, in order', () => {
    const { played, stats } = run(repeat('RGG', 50));
    expect(played).toEqual([...played].sort((a, b) => a - b));
    expect(stats).toMatchObject({ late: 0, duplicate: 0, discarded: 0 });
    expect(stats.played + stats.buffered).toBe(100); // what the grown delay still holds at the end
  });

  it('sequence wrap-around: 65530 to 9 plays in order', () => {
    const { played, stats } = run(repeat('PG', 16), {}, 65530);
    expect(played).toEqual([65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stats.late + stats.duplicate + stats.discarded).toBe(0);
  });

  it('jump: a restart is followed once its second packet confirms it', () => {
    const { kinds, stats } = run(repeat('PG', 20) + 'J' + repeat('PG', 30));
    expect(stats.restarts).toBe(1);
    expect(stats).toMatchObject({ late: 0, duplicate: 0 });
    expect(kinds.slice(20).replace(/p/g, '').length).toBeLessThanOrEqual(3); // a frame or two concealed across it
    expect(kinds.endsWith('p'.repeat(25))).toBe(true);
    balanced(stats, 50);
  });

  it('one stray packet off the timeline is discarded, the stream goes on', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    const payload = new Int16Array(FRAME);
    for (let i = 0; i < 10; i++) {
      buffer.put({ sequence: i, timestamp: i * FRAME, payload }, i * PERIOD);
      if (i === 5) expect(buffer.put({ sequence: 40_000, timestamp: 7, payload }, i * PERIOD)).toBe('probation');
      buffer.get(i * PERIOD + PERIOD);
    }
    expect(buffer.stats()).toMatchObject({ discarded: 1, restarts: 0, played: 10 });
  });

  it('burst: four packets at once every 80 ms; after warming up, none late and the delay bounded', () => {
    const warm = run(repeat('PPPPGGGG', 10));
    const { stats, maxDelay } = run(repeat('PPPPGGGG', 60));
    expect(stats.late).toBe(warm.stats.late);
    expect(stats.jitterMs).toBeGreaterThan(25);
    expect(maxDelay).toBeLessThanOrEqual(4 * PERIOD + 3 * 30 + PERIOD);
    balanced(stats, 240);
  });

  it('refuses a payload that is not one frame', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    expect(() => buffer.put({ sequence: 1, timestamp: 1, payload: new Int16Array(512) }, 0)).toThrow(expect.objectContaining({ code: 'bad-frame-length' }));
  });

  it('a 200 Hz tone through the buffer with every tenth packet lost: the concealed frames carry on the tone', () => {
    const buffer = new JitterBuffer({ frameSamples: FRAME });
    const tone = (from: number) => Int16Array.from({ length: FRAME }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 200 * (from + i)) / 8000)));
    const correlations: number[] = [];
    let expected = 0; // the sequence the next frame stands for
    for (let k = 0; k < 200; k++) {
      if (k % 10 !== 5) buffer.put({ sequence: k, timestamp: k * FRAME, payload: tone(k * FRAME) }, k * PERIOD);
      const frame = buffer.get(k * PERIOD + PERIOD);
      if (frame.kind === 'silence') continue;
      if (frame.kind === 'played') expected = frame.sequence!;
      if (frame.kind === 'concealed') {
        const truth = tone(expected * FRAME);
        let ab = 0;
        let aa = 0;
        let bb = 0;
        for (let i = 0; i < FRAME; i++) {
          ab += frame.samples[i]! * truth[i]!;
          aa += frame.samples[i]! ** 2;
          bb += truth[i]! ** 2;
        }
        correlations.push(ab / Math.sqrt(aa * bb));
      }
      expected++;
    }
    expect(correlations).toHaveLength(20);
    expect(Math.min(...correlations)).toBeGreaterThan(0.99);
  });
});
