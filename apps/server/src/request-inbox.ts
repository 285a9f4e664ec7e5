/** The input side of one directory connection: bytes in, JSON frames out, with a cap that pauses reading. */
import { createJsonDeframer, type DeframeResult } from '@voip/protocol';

/** Largest slice of input deframed at once, so one read cannot queue thousands of requests. */
const SLICE_BYTES = 4096;

/** What the inbox tells its connection about reading from the socket. */
export interface InboxFlowControl {
  /** The inbox holds `maxBytes` or more: stop reading. */
  pause(): void;
  /** The inbox drained to half of `maxBytes`: read again. */
  resume(): void;
}

/**
 * Holds the bytes a connection received and cuts them into frames on demand, a slice
 * at a time. Reading pauses once `maxBytes` wait unprocessed and resumes at half.
 */
export class RequestInbox {
  private readonly deframer = createJsonDeframer();
  private readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  // Frames cut from the last slice, read from `frameIndex` on (no O(n) shift per request).
  private frames: DeframeResult[] = [];
  private frameIndex = 0;
  private paused = false;

  constructor(
    private readonly maxBytes: number,
    private readonly flow: InboxFlowControl,
  ) {}

  /** Bytes received and not yet deframed (excluding a partial frame inside the deframer). */
  get pendingBytes(): number {
    return this.bytes;
  }

  /** Keeps a chunk, split anywhere; pauses reading when the cap is reached. */
  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (!this.paused && this.bytes >= this.maxBytes) {
      this.paused = true;
      this.flow.pause();
    }
  }

  /** The next complete frame (or framing error), or undefined until more bytes come. */
  next(): DeframeResult | undefined {
    while (this.frameIndex >= this.frames.length && this.chunks.length > 0) {
      const head = this.chunks[0]!;
      let slice: Uint8Array;
      if (head.length <= SLICE_BYTES) {
        slice = head;
        this.chunks.shift();
      } else {
        slice = head.subarray(0, SLICE_BYTES);
        this.chunks[0] = head.subarray(SLICE_BYTES);
      }
      this.bytes -= slice.length;
      this.frames = this.deframer.push(slice);
      this.frameIndex = 0;
    }
    if (this.paused && this.bytes <= this.maxBytes / 2) {
      this.paused = false;
      this.flow.resume();
    }
    return this.frameIndex < this.frames.length ? this.frames[this.frameIndex++] : undefined;
  }
}
