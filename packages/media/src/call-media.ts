/** Call media: the whole audio side of one classic call, a paced sender and a receiver around one source and one sink. */
import { CLASSIC_AUDIO, encodeClassicPcm } from '@voip/protocol';
import { realClock } from '@voip/clock';
import { callDurationMs, closeSourceAndSink } from './call-lifetime.js';
import type { CallMedia, CallMediaOptions, MediaStats } from './call-media-types.js';
import { createCallReceiver } from './call-receiver.js';
import { AudioFormatMismatchError } from './errors.js';
import { allocateFrame } from './frame-slab.js';
import { createFramePump, type FramePump } from './frame-pump.js';
import { levelDbfs } from './level.js';

export type { CallMedia, CallMediaOptions, MediaStats } from './call-media-types.js';

/**
 * The whole audio side of a classic call: a pump reads the source every 64 ms, encodes
 * s16le 1024-byte datagrams and sends them (silence while muted); received datagrams
 * are checked, decoded and played by the receiver (`call-receiver.ts`: duplicates,
 * loss from the stream's schedule, a bounded playout queue, the speaker gain).
 * `stop()` settles a hold and writes what is still queued before closing the sink.
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

  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let startedAt: number | undefined;
  let stoppedAt: number | undefined;
  let muted = false;
  let packetsSent = 0;
  let sendErrors = 0;
  // The input level is computed when stats() asks, from the last frame sent (never modified afterwards).
  let lastSent: Int16Array | undefined;

  const pump: FramePump = createFramePump({
    source,
    clock,
    onSourceEnd: (error) => {
      if (error !== undefined) report(error);
    },
    onFrame(read) {
      // Muted: the source was read all the same (it stays aligned), silence goes out.
      const frame = muted ? allocateFrame(read.length) : read;
      lastSent = frame;
      packetsSent++;
      try {
        send(encodeClassicPcm(frame));
      } catch (error) {
        sendErrors++;
        report(error);
      }
    },
  });

  return {
    start(): void {
      if (state !== 'idle') return;
      state = 'running';
      startedAt = clock.now();
      pump.start();
    },
    receive(datagram: Uint8Array): boolean {
      return receiver.receive(datagram);
    },
    async stop(): Promise<void> {
      if (state === 'stopped') return;
      state = 'stopped';
      stoppedAt = clock.now();
      pump.stop();
      receiver.stop();
      await closeSourceAndSink(source, sink);
    },
    stats(): MediaStats {
      const lateness = pump.lateness;
      const received = receiver.stats();
      return {
        packetsSent,
        packetsReceived: received.packetsReceived,
        packetsLost: received.packetsLost,
        framesConcealed: received.framesConcealed,
        packetsDropped: received.droppedBadSize + received.droppedDuplicate + received.droppedOverflow,
        droppedBadSize: received.droppedBadSize,
        droppedDuplicate: received.droppedDuplicate,
        droppedOverflow: received.droppedOverflow,
        framesSkipped: pump.framesSkipped,
        inputLevelDbfs: lastSent === undefined ? -Infinity : levelDbfs(lastSent),
        outputLevelDbfs: received.outputLevelDbfs,
        pumpLatenessP99Ms: lateness.p99Ms,
        pumpLatenessMaxMs: lateness.maxMs,
        playoutBacklogFrames: received.playoutBacklogFrames,
        sourceEnded: pump.sourceEnded,
        sendErrors,
        sinkErrors: received.sinkErrors,
        durationMs: callDurationMs(startedAt, stoppedAt, clock.now()),
        packetsRejected: received.droppedBadSize,
        packetsReplayed: received.droppedDuplicate,
        packetsLate: 0,
        packetsConcealed: received.framesConcealed,
        jitterMs: 0,
        playoutDelayMs: 0,
      };
    },
    setMuted(value: boolean): void {
      muted = value;
    },
    get muted() {
      return muted;
    },
    setGain(value: number): void {
      receiver.setGain(value);
    },
    get gain() {
      return receiver.gain;
    },
  };
}
