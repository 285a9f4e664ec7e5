// Types of a running tcpdump capture of the lab (capture.mjs).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { CapturedDatagram } from './pcap-reader.mjs';

/** tcpdump exited or failed to start capturing. */
export declare class CaptureError extends Error {
  readonly name: 'CaptureError';
  readonly code: 'capture-failed';
  /** What tcpdump printed on stderr. */
  readonly stderr: string;
}

/** What a stopped capture holds. */
export interface CaptureResult {
  readonly file: string;
  /** tcpdump's own count of packets captured. */
  readonly captured: number;
  /** Packets the kernel dropped before tcpdump read them (0 for a complete capture). */
  readonly droppedByKernel: number;
  /** The UDP datagrams of the file. */
  readonly datagrams: CapturedDatagram[];
}

/** A capture that is running. */
export interface Capture {
  /** The pcap file tcpdump writes. */
  readonly file: string;
  /** Stops tcpdump (SIGINT) and reads the file; calling it again returns the same result. */
  stop(): Promise<CaptureResult>;
}

/** Waits for tcpdump (`child`, writing `file`) to say it listens. */
export declare function startCapture(child: ChildProcessWithoutNullStreams, file: string, readyTimeoutMs?: number): Promise<Capture>;
