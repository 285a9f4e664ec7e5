/** Test support: an audio sink that keeps every frame written. */
import { CLASSIC_FORMAT, type AudioSink } from '@voip/media';
import { levelDbfs } from '@voip/media/internal';

/** An audio sink that keeps every frame written, for assertions. */
export interface CollectingSink extends AudioSink {
  readonly frames: Int16Array[];
  /** Frames whose level is above -60 dBFS (not silence). */
  audibleFrames(): number;
  readonly closed: boolean;
}

/** Creates a sink that records frames in memory. */
export function createCollectingSink(): CollectingSink {
  const frames: Int16Array[] = [];
  let closed = false;
  return {
    format: CLASSIC_FORMAT,
    label: 'collecting',
    frames,
    writeFrame(frame) {
      frames.push(frame.slice());
    },
    audibleFrames: () => frames.filter((f) => levelDbfs(f) > -60).length,
    close() {
      closed = true;
      return Promise.resolve();
    },
    get closed() {
      return closed;
    },
  };
}
