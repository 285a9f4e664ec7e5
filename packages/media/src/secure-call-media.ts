/** Secure call media: the audio side of one v2 call, sealed RTP out at the frame pump's pace, opened RTP through the jitter buffer into the sink. */
import { realClock } from '@voip/clock';
import { MediaSealer, V2EncodeError } from '@voip/protocol/v2';
import { createCallLifetime, type FrameSender } from './call-lifetime.js';
import type { CallMedia, MediaStats } from './call-media-types.js';
import { AudioFormatMismatchError } from './errors.js';
import { applyGain, checkGain } from './gain.js';
import { encodeL16 } from './l16.js';
import { levelDbfs } from './level.js';
import { reframeSink, reframeSource } from './reframer.js';
import { MediaKeyExhaustedError, type SecureCallMediaOptions, type V2MediaParams } from './secure-call-media-types.js';
import { SecureReceiver } from './secure-receiver.js';

export { MediaKeyExhaustedError, type SecureCallMediaOptions, type V2MediaParams } from './secure-call-media-types.js';

/** The sample rate of v2 L16 media. */
const SAMPLE_RATE = 8000;

/** Throws unless `v2` is something a v2 call can carry: a bug in the caller. */
function checkParams(v2: V2MediaParams): void {
  if (v2.frameSamples !== 160 && v2.frameSamples !== 512) throw new RangeError(`frameSamples must be 160 or 512, got ${v2.frameSamples}`);
  if (!(Number.isInteger(v2.payloadType) && v2.payloadType >= 0 && v2.payloadType <= 127)) throw new V2EncodeError('payloadType', 'must be an integer 0-127');
  if (!(Number.isInteger(v2.firstTimestamp) && v2.firstTimestamp >= 0 && v2.firstTimestamp <= 0xffffffff))
    throw new V2EncodeError('firstTimestamp', 'must be an integer 0 to 2^32-1');
  if (!(Number.isInteger(v2.peerSsrc) && v2.peerSsrc >= 0 && v2.peerSsrc <= 0xffffffff)) throw new V2EncodeError('peerSsrc', 'must be an integer 0 to 2^32-1');
}

/**
 * The whole audio side of a v2 call (docs/v2-wire.md section 5).
 *
 * Sending: the source is re-framed to `v2.frameSamples` (a 512-sample source gives
 * 20 ms frames), a frame pump paces the frames from their index (one every 20 ms),
 * each is encoded L16 (big-endian, RFC 3551 section 4.5.11), sealed as RTP packet
 * `firstSequence + i` for frame i (`MediaSealer`: the payload type, the timestamp
 * `firstTimestamp + i * frameSamples`, M set on the first) and sent; a frame the pump
 * skips after a stall leaves its sequence number unused (a loss to the peer). Muted, the source
 * is read all the same and silence frames go out.
 *
 * Receiving: `receive` opens the datagram with the receive key and the replay window
 * and files authentic frames in the jitter buffer (`secure-receiver.ts`). The same
 * pump tick that sends frame k takes frame k from the buffer (asking at its deadline
 * `start + k * period`) and writes it to the (re-framed)
 * sink with the speaker gain: silence before the first packet and while the buffer
 * fills, then played or concealed frames. `stop()` stops both pumps, writes what the
 * sink's re-framer holds, and closes the source and the sink; frames still in the
 * jitter buffer are not played.
 */
export function createSecureCallMedia(options: SecureCallMediaOptions): CallMedia {
  const { v2, send } = options;
  checkParams(v2);
  const clock = options.clock ?? realClock;
  for (const [what, port] of [
    ['source', options.source],
    ['sink', options.sink],
  ] as const) {
    if (port.format.sampleRate !== SAMPLE_RATE) {
      throw new AudioFormatMismatchError(`${what} ${port.label} is ${port.format.sampleRate} Hz; v2 L16 calls need ${SAMPLE_RATE} Hz`);
    }
  }
  const frameSamples = v2.frameSamples;
  const source = reframeSource(options.source, frameSamples);
  const sink = reframeSink(options.sink, frameSamples);
  const report = (error: unknown) => options.onError?.(error);
  const sealer = new MediaSealer(v2.sendKey, { ssrc: v2.ssrc, firstSequence: v2.firstSequence });
  const receiver = new SecureReceiver(v2);

  let gain = 1;
  let sinkErrors = 0;
  let silentAfterStart = 0;
  let playedAny = false;
  let lastPlayed: Int16Array | undefined;

  // Frame k is played at its deadline, start + k periods (k counting skipped frames too),
  // not at the time the timer happened to run: timer lateness is not network jitter, and
  // taking it for a shorter delay would make the buffer conceal frames that are there.
  const periodMs = (frameSamples * 1000) / SAMPLE_RATE;
  let playoutIndex = 0;

  /** Takes frame `playoutIndex` from the jitter buffer at its deadline, and counts it. */
  function takePlayout(): Int16Array {
    const frame = receiver.playout(life.startedAt! + playoutIndex++ * periodMs);
    if (frame.kind === 'played') playedAny = true;
    else if (frame.kind === 'silence' && playedAny) silentAfterStart++;
    if (frame.kind !== 'silence') lastPlayed = frame.samples;
    return frame.samples;
  }

  /** Empty payload sealed, never sent, for a frame the pump skipped: its sequence number stays unused. */
  const NOTHING = new Uint8Array(0);
  // Packet indices used so far: one per frame index, sent or skipped.
  let framesSealed = 0;

  /**
   * Seals and sends frame `index` read from the source (silence while muted). Sequence
   * number and timestamp follow the frame index: after a stall, the frames the pump
   * skipped leave a gap the peer conceals as loss, instead of shifting every later
   * packet a few periods late.
   */
  function sendFrame(frame: Int16Array, index: number, sender: FrameSender): void {
    try {
      const first = framesSealed === 0;
      for (; framesSealed < index; framesSealed++) sealer.seal({ payloadType: v2.payloadType, timestamp: 0, payload: NOTHING });
      framesSealed++;
      const sealed = sealer.seal({
        payloadType: v2.payloadType,
        timestamp: (v2.firstTimestamp + index * frameSamples) % 0x100000000,
        payload: encodeL16(frame),
        marker: first,
      });
      if (!sealed.ok) throw new MediaKeyExhaustedError(sealed.detail);
      sender.send(sealed.value.bytes);
    } catch (error) {
      sender.fail(error);
    }
  }

  /** Plays frame `index`: the frames the pump skipped before it are taken from the buffer (it stays aligned) but not written. */
  function playFrame(index: number): void {
    while (playoutIndex < index) takePlayout();
    const frame = takePlayout();
    // The frame is the buffer's own new array; the level is read before the gain.
    const out = gain === 1 ? frame : frame.slice();
    applyGain(out, gain);
    try {
      sink.writeFrame(out);
    } catch (error) {
      sinkErrors++;
      report(error);
    }
  }

  // One pump, one timer a frame period, for both directions: send frame i, then play frame i.
  const life = createCallLifetime({
    source,
    sink,
    clock,
    send,
    report,
    onFrame(frame, index, sender) {
      sendFrame(frame, index, sender);
      playFrame(index);
    },
  });

  return {
    start: () => life.start(),
    receive(datagram: Uint8Array): boolean {
      if (life.stopped) return false;
      return receiver.receive(datagram, clock.now());
    },
    stop: () => life.stop(),
    stats(): MediaStats {
      const r = receiver.stats();
      return {
        ...life.stats(),
        packetsReceived: r.packetsReceived,
        packetsLost: r.packetsLost,
        framesConcealed: r.packetsConcealed + silentAfterStart,
        packetsDropped: r.packetsRejected + r.packetsReplayed + r.packetsLate + r.packetsDiscarded,
        droppedBadSize: r.packetsMalformed,
        droppedDuplicate: r.packetsReplayed,
        droppedOverflow: r.packetsDiscarded,
        outputLevelDbfs: lastPlayed === undefined ? -Infinity : levelDbfs(lastPlayed),
        playoutBacklogFrames: r.packetsBuffered,
        sinkErrors,
        packetsRejected: r.packetsRejected,
        packetsReplayed: r.packetsReplayed,
        packetsLate: r.packetsLate,
        packetsConcealed: r.packetsConcealed,
        jitterMs: r.jitterMs,
        playoutDelayMs: r.playoutDelayMs,
      };
    },
    setMuted: (value: boolean) => life.setMuted(value),
    get muted() {
      return life.muted;
    },
    setGain(value: number): void {
      checkGain(value);
      gain = value;
    },
    get gain() {
      return gain;
    },
  };
}
