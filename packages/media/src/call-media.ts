/** Call media: the whole audio side of one classic call, a paced sender and a receiver around one source and one sink. */
import { CLASSIC_AUDIO, encodeClassicPcm } from '@voip/protocol';
import { realClock } from '@voip/clock';
import { createCallLifetime } from './call-lifetime.js';
import type { CallMedia, CallMediaOptions, MediaStats } from './call-media-types.js';
import { createCallReceiver } from './call-receiver.js';
import { AudioFormatMismatchError } from './errors.js';

export type { CallMedia, CallMediaOptions, MediaStats } from './call-media-types.js';

/**
 * The whole audio side of a classic call: a pump reads the source every 64 ms, encodes
 * s16le 1024-byte datagrams and sends them (silence while muted: `call-lifetime.ts`,
 * shared with secure media); received datagrams are checked, decoded and played by
 * the receiver (`call-receiver.ts`: duplicates, loss from the stream's schedule, a
 * bounded playout queue, the speaker gain). `stop()` settles a hold and writes what is
 * still queued before closing the sink.
 */
export function createCallMedia(options: CallMediaOptions): CallMedia {
  const { source, sink, send } = options;
  const clock = options.clock ?? realClock;
  for (const [what, format] of [
    ['source', source.format],
    ['sink', sink.format],
  ] as const) {
    if (format.sampleRate !== CLASSIC_AUDIO.sampleRate || format.samplesPerFrame !== CLASSIC_AUDIO.samplesPerFrame) {
      throw new AudioFormatMismatchError(
        `${what} ${what === 'source' ? source.label : sink.label} is ${format.samplesPerFrame} samples at ${format.sampleRate} Hz; classic calls need ${CLASSIC_AUDIO.samplesPerFrame} at ${CLASSIC_AUDIO.sampleRate} Hz`,
      );
    }
  }
  const report = (error: unknown) => options.onError?.(error);
  const receiver = createCallReceiver({
    sink,
    clock,
    maxBacklogFrames: options.maxBacklogFrames ?? 8,
    lossConfirmPeriods: options.lossConfirmPeriods ?? 0.5,
    report,
  });
  const life = createCallLifetime({
    source,
    sink,
    clock,
    send,
    report,
    onFrame: (frame, _index, sender) => sender.send(encodeClassicPcm(frame)),
    onStop: () => receiver.stop(),
  });

  return {
    start: () => life.start(),
    receive(datagram: Uint8Array): boolean {
      return receiver.receive(datagram);
    },
    stop: () => life.stop(),
    stats(): MediaStats {
      const received = receiver.stats();
      return {
        ...life.stats(),
        packetsReceived: received.packetsReceived,
        packetsLost: received.packetsLost,
        framesConcealed: received.framesConcealed,
        packetsDropped: received.droppedBadSize + received.droppedDuplicate + received.droppedOverflow,
        droppedBadSize: received.droppedBadSize,
        droppedDuplicate: received.droppedDuplicate,
        droppedOverflow: received.droppedOverflow,
        outputLevelDbfs: received.outputLevelDbfs,
        playoutBacklogFrames: received.playoutBacklogFrames,
        sinkErrors: received.sinkErrors,
        packetsRejected: received.droppedBadSize,
        packetsReplayed: received.droppedDuplicate,
        packetsLate: 0,
        packetsConcealed: received.framesConcealed,
        jitterMs: 0,
        playoutDelayMs: 0,
      };
    },
    setMuted: (value: boolean) => life.setMuted(value),
    get muted() {
      return life.muted;
    },
    setGain(value: number): void {
      receiver.setGain(value);
    },
    get gain() {
      return receiver.gain;
    },
  };
}
