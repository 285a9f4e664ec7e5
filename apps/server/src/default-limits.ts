/** The defaults of the server's limits, shared by the programmatic options and the command line. */
import { KEEPALIVE_SILENCE_LIMIT_MS } from '@voip/protocol';

/** Defaults of the limits; generous for real clients, lifted by benchmarks. */
export const DEFAULT_LIMITS = Object.freeze({
  /** Requests per second per connection (bursts of twice that pass at once). */
  rateLimit: 20,
  /** Open connections per source IP, named or not: thousands of users may share one NAT. */
  maxConnsPerIp: 4096,
  /** Open connections per source IP that hold no name (connecting, or never registering). */
  maxUnnamedPerIp: 256,
  /** A connection without a name is closed after this long without a request. */
  idleTimeoutMs: 30_000,
  /** A client that announced the keep-alive (REG `v` >= 2) is dropped after this long without sending a byte. */
  silenceLimitMs: KEEPALIVE_SILENCE_LIMIT_MS,
  /** A connection whose unsent output has waited this long without the socket taking any of it is closed. */
  writeTimeoutMs: 30_000,
  /** TCP keep-alive probes start after this long without traffic. */
  keepAliveMs: 10_000,
  /** Unsent output above which a connection's requests wait (and pushes merge). */
  maxWriteBufferBytes: 64 * 1024,
  /** Unprocessed input above which reading from a connection pauses. */
  maxReadBufferBytes: 64 * 1024,
  /** Requests a connection may send without a name before it is dropped. */
  maxRequestsWithoutName: 20,
});
