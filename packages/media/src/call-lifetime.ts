/** The lifetime rules both call media share: how long a call has run, and closing its source and sink. */
import type { AudioSink, AudioSource } from './audio-port.js';

/** Time since `startedAt`, frozen at `stoppedAt` once stopped; 0 before the start. */
export function callDurationMs(startedAt: number | undefined, stoppedAt: number | undefined, now: number): number {
  return startedAt === undefined ? 0 : (stoppedAt ?? now) - startedAt;
}

/** Closes both ends even if one fails, then rethrows the first failure. */
export async function closeSourceAndSink(source: AudioSource, sink: AudioSink): Promise<void> {
  const results = await Promise.allSettled([source.close(), sink.close()]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
