/** Tests of the ring tone player: pacing under a manual clock, stop, failures. */
import { createManualClock } from '@voip/clock';
import { describe, expect, it } from 'vitest';
import { recordingSink } from '../test/support/call-media-harness.js';
import { createRingToneSource } from './ring-tone.js';
import { startRingTone } from './ring-player.js';

describe('startRingTone', () => {
  it('writes the ring tone to the sink, one frame every 64 ms from the start', async () => {
    const clock = createManualClock();
    const sink = recordingSink();
    const ring = startRingTone({ sink, clock });
    clock.advance(0);
    expect(sink.frames).toHaveLength(1);
    clock.advance(63);
    expect(sink.frames).toHaveLength(1);
    clock.advance(1);
    expect(sink.frames).toHaveLength(2);
    clock.advance(64 * 98); // 100 frames = 6.4 s: a burst, the gap, and the next burst
    expect(sink.frames).toHaveLength(100);
    const reference = createRingToneSource();
    sink.frames.forEach((frame, i) => expect(Array.from(frame), `frame ${i}`).toEqual(Array.from(reference.readFrame()!)));
    await ring.stop();
  });

  it('stop() ends the ring at a frame boundary and leaves the sink open', async () => {
    const clock = createManualClock();
    const sink = recordingSink();
    const ring = startRingTone({ sink, clock });
    clock.advance(64 * 3 + 30);
    expect(sink.frames).toHaveLength(4);
    await ring.stop();
    clock.advance(64 * 100);
    expect(sink.frames).toHaveLength(4);
    expect(sink.frames.every((f) => f.length === 512)).toBe(true);
    expect(sink.closed).toBe(false);
    expect(clock.pending()).toBe(0);
    await ring.stop(); // idempotent
  });

  it('goes on after a failing write and reports it', async () => {
    const clock = createManualClock();
    const errors: unknown[] = [];
    let writes = 0;
    const sink = {
      ...recordingSink(),
      writeFrame() {
        writes++;
        if (writes === 2) throw new Error('device gone');
      },
    };
    const ring = startRingTone({ sink, clock, onError: (e) => errors.push(e) });
    clock.advance(64 * 4);
    expect(writes).toBe(5);
    expect(errors).toHaveLength(1);
    await ring.stop();
  });
});
