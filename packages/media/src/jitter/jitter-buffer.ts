/** An adaptive jitter buffer for RTP-style frames: pure, in virtual time, one `get` a frame period. */

import { allocateFrame } from '../frame-slab.js';
import { Concealer } from './concealer.js';
import { initialJitterEstimate, updateJitter, type JitterEstimate } from './interarrival-jitter.js';
import { PlayoutTarget } from './playout-target.js';
import { extendSequence } from './sequence.js';
import { TransitFloor } from './transit-floor.js';
import { JitterBufferError, type JitterBufferOptions, type JitterStats, type MediaPacket, type PlayoutFrame, type PutOutcome } from './jitter-types.js';

/** Packets behind the playout point told apart as late or duplicate; older ones are `duplicate` (old). */
export const REORDER_WINDOW = 128;

/** Added to the delay a late packet needed, so that one as late next time arrives strictly before its playout, ms. */
const LATE_MARGIN_MS = 1;

interface Held {
  readonly packet: MediaPacket;
  readonly arrivalMs: number;
}

/**
 * The buffer. `put(packet, arrivalMs)` for each packet received, `get(nowMs)` once a
 * frame period. Frames play in sequence order; a frame is due when the delay beyond the
 * least-delayed packet of the last `transitWindowMs` (the floor) reaches the target;
 * the delay grows by holding the playout point one period (a concealed frame) and
 * shrinks by skipping one frame. See README.md for the constants.
 */
export class JitterBuffer {
  readonly #frameSamples: number;
  readonly #sampleRate: number;
  readonly #frameMs: number;
  readonly #maxDelayMs: number;
  readonly #shrinkAfterMs: number;
  readonly #capacity: number;
  readonly #concealer: Concealer;
  readonly #target: PlayoutTarget;
  readonly #floor: TransitFloor;
  readonly #slots = new Map<number, Held>();
  readonly #seen = new Set<number>();
  #jitter: JitterEstimate = initialJitterEstimate;
  /** Extended sequence number of the next frame to play; undefined before the first packet. */
  #cursor: number | undefined;
  /** `timestamp - extended * frameSamples` (mod 2^32) of the stream's timeline. */
  #timeline = 0;
  #probe: { readonly held: Held; readonly behind: boolean } | undefined;
  #started = false;
  #lastGetMs: number | undefined;
  #excessSinceMs: number | undefined;
  #lastWasConcealed = false;
  #counts = { received: 0, played: 0, concealed: 0, silent: 0, late: 0, duplicate: 0, discarded: 0, restarts: 0 };
  #playoutDelayMs = 0;

  /** A buffer with the given frame size and (defaulted) constants. */
  constructor(options: JitterBufferOptions) {
    const frameSamples = options.frameSamples;
    if (!Number.isInteger(frameSamples) || frameSamples <= 0) throw new RangeError(`frame of ${frameSamples} samples`);
    this.#frameSamples = frameSamples;
    this.#sampleRate = options.sampleRate ?? 8000;
    this.#frameMs = (frameSamples * 1000) / this.#sampleRate;
    const minDelayMs = options.minDelayMs ?? this.#frameMs;
    this.#maxDelayMs = Math.max(minDelayMs, options.maxDelayMs ?? Math.max(240, this.#frameMs));
    this.#shrinkAfterMs = options.shrinkAfterMs ?? 1000;
    this.#capacity = 2 * Math.ceil(this.#maxDelayMs / this.#frameMs) + 4;
    this.#concealer = new Concealer(frameSamples);
    this.#target = new PlayoutTarget({
      minDelayMs,
      maxDelayMs: this.#maxDelayMs,
      jitterMultiplier: options.jitterMultiplier ?? 3,
      decayMs: options.targetDecayMs ?? 4000,
    });
    this.#floor = new TransitFloor(options.transitWindowMs ?? 2000);
  }

  /** The counters and estimates now. */
  stats(): JitterStats {
    return {
      ...this.#counts,
      buffered: this.#slots.size + (this.#probe ? 1 : 0),
      jitterMs: this.#jitter.jitterMs,
      playoutDelayMs: this.#playoutDelayMs,
      targetDelayMs: this.#target.ms,
    };
  }

  /** Takes a packet that arrived at `arrivalMs` (the same clock as `get`). */
  put(packet: MediaPacket, arrivalMs: number): PutOutcome {
    if (packet.payload.length !== this.#frameSamples) throw new JitterBufferError(packet.payload.length, this.#frameSamples);
    this.#counts.received++;
    return this.#place({ packet, arrivalMs });
  }

  /** The frame to play at `nowMs`: called once a frame period. */
  get(nowMs: number): PlayoutFrame {
    const elapsed = this.#lastGetMs === undefined ? 0 : nowMs - this.#lastGetMs;
    this.#lastGetMs = nowMs;
    this.#target.decay(this.#jitter.jitterMs, elapsed);
    if (this.#cursor === undefined) return this.#silence();
    const target = this.#target.ms;
    let delay = nowMs - this.#cursor * this.#frameMs - this.#floor.floor(nowMs)!; // defined: a restart pushes one, the newest never expires
    if (!this.#started) {
      if (delay < target) return this.#silence();
      this.#started = true;
    }
    if (delay >= target + this.#frameMs) {
      this.#excessSinceMs ??= nowMs;
      const shrink = nowMs - this.#excessSinceMs >= this.#shrinkAfterMs || delay >= this.#maxDelayMs + this.#frameMs;
      if (shrink && this.#slots.has(this.#cursor + 1)) {
        const skipped = this.#slots.get(this.#cursor);
        if (skipped) this.#counts.discarded++;
        this.#advance();
        this.#concealer.splice();
        delay -= this.#frameMs;
        this.#excessSinceMs = nowMs;
      }
    } else {
      this.#excessSinceMs = undefined;
    }
    this.#playoutDelayMs = delay;
    const held = this.#slots.get(this.#cursor);
    // Grow: hold the playout point one period, waiting for a missing frame, or (every
    // other period at most, so that stretches never run into silence) before a present one.
    if (delay < target && (held === undefined || !this.#lastWasConcealed)) return this.#conceal();
    if (held === undefined) {
      this.#advance();
      return this.#conceal();
    }
    this.#advance();
    this.#counts.played++;
    this.#lastWasConcealed = false;
    return { samples: this.#concealer.real(held.packet.payload), kind: 'played', sequence: held.packet.sequence };
  }

  /** Files a packet: in the buffer, as late or duplicate, or on probation if off the timeline. */
  #place(held: Held): PutOutcome {
    if (this.#cursor === undefined) {
      this.#restart(held);
      return 'buffered';
    }
    const { packet } = held;
    const ext = extendSequence(packet.sequence, this.#cursor);
    const offset = ext - this.#cursor;
    const onTimeline = (packet.timestamp - ext * this.#frameSamples) >>> 0 === this.#timeline;
    if (!onTimeline || offset < -REORDER_WINDOW || offset >= this.#capacity) return this.#offTimeline(held, onTimeline && offset < 0);
    this.#dropProbe();
    if (this.#seen.has(ext)) {
      this.#counts.duplicate++;
      return 'duplicate';
    }
    this.#seen.add(ext);
    const neededMs = this.#observe(held, ext, false);
    if (offset < 0 && !this.#started)
      this.#cursor = ext; // reordered before playout began: start earlier
    else if (offset < 0) {
      this.#counts.late++;
      this.#target.observeLate(neededMs + LATE_MARGIN_MS);
      return 'late';
    }
    this.#slots.set(ext, held);
    return 'buffered';
  }

  /** Folds an in-timeline packet into the jitter and floor estimates; returns the delay it needed, ms. */
  #observe(held: Held, ext: number, restart: boolean): number {
    this.#jitter = updateJitter(this.#jitter, held.arrivalMs, held.packet.timestamp, this.#sampleRate, restart);
    this.#target.observeJitter(this.#jitter.jitterMs);
    const transit = held.arrivalMs - ext * this.#frameMs;
    this.#floor.push(held.arrivalMs, transit);
    return transit - this.#floor.floor(held.arrivalMs)!; // defined: just pushed
  }

  /** A packet off the timeline: confirms the probe as a restart if it is its successor, else becomes the probe. */
  #offTimeline(held: Held, behind: boolean): PutOutcome {
    const probe = this.#probe?.held;
    const next = held.packet;
    if (probe && next.sequence === ((probe.packet.sequence + 1) & 0xffff) && next.timestamp === (probe.packet.timestamp + this.#frameSamples) >>> 0) {
      this.#probe = undefined;
      this.#counts.discarded += this.#slots.size;
      this.#counts.restarts++;
      this.#restart(probe);
      if (this.#started) this.#concealer.splice();
      return this.#place(held);
    }
    this.#dropProbe();
    this.#probe = { held, behind };
    return 'probation';
  }

  /** An unconfirmed probe is dropped: as old (`duplicate`) if on the timeline but behind the window, else as discarded. */
  #dropProbe(): void {
    if (!this.#probe) return;
    if (this.#probe.behind) this.#counts.duplicate++;
    else this.#counts.discarded++;
    this.#probe = undefined;
  }

  /** Starts the stream anew at this packet. */
  #restart(held: Held): void {
    const ext = held.packet.sequence;
    this.#slots.clear();
    this.#seen.clear();
    this.#floor.clear();
    this.#cursor = ext;
    this.#timeline = (held.packet.timestamp - ext * this.#frameSamples) >>> 0;
    this.#seen.add(ext);
    this.#observe(held, ext, true);
    this.#slots.set(ext, held);
  }

  #advance(): void {
    this.#slots.delete(this.#cursor!);
    this.#seen.delete(this.#cursor! - REORDER_WINDOW);
    this.#cursor!++;
  }

  #conceal(): PlayoutFrame {
    const { samples, kind } = this.#concealer.conceal();
    this.#lastWasConcealed = true;
    if (kind === 'concealed') this.#counts.concealed++;
    else this.#counts.silent++;
    return { samples, kind, sequence: undefined };
  }

  #silence(): PlayoutFrame {
    this.#counts.silent++;
    return { samples: allocateFrame(this.#frameSamples), kind: 'silence', sequence: undefined };
  }
}
