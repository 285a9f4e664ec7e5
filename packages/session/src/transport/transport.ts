/** The datagram port the call runner sends and receives through. */
import type { PeerAddress } from '../call-machine-types.js';

/** Receives one datagram and where it came from. */
export type DatagramListener = (bytes: Uint8Array, from: PeerAddress) => void;

/**
 * A datagram socket, as small as the call runner needs: the UDP adapter
 * ({@link bindUdpTransport}) in production, an in-memory network in tests.
 */
export interface Transport {
  /** The endpoint this transport receives on. */
  readonly local: PeerAddress;
  /** Sends one datagram; delivery is not guaranteed (UDP). Throws once closed. */
  send(bytes: Uint8Array, to: PeerAddress): void;
  /** Sets the listener of incoming datagrams (one at a time; a later call replaces it). */
  onMessage(listener: DatagramListener): void;
  /** Stops receiving and releases the socket. Idempotent. */
  close(): Promise<void>;
}
