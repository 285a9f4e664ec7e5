// Types of the pure pcap/pcapng UDP reader (pcap-reader.mjs).

/** The bytes are not a capture the reader understands. */
export declare class PcapFormatError extends Error {
  readonly name: 'PcapFormatError';
  readonly code: 'bad-capture';
  /** Where and why reading stopped. */
  readonly detail: string;
}

/** An IP address and UDP port. */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** One captured UDP datagram. */
export interface CapturedDatagram {
  /** Capture time, in ms since the epoch. */
  readonly timeMs: number;
  readonly source: UdpEndpoint;
  readonly destination: UdpEndpoint;
  /** The UDP payload (a copy). */
  readonly payload: Uint8Array;
  /** The snapshot length cut the payload short. */
  readonly truncated: boolean;
  /** Sent by the capturing host (Linux cooked link types), null when the link type does not say. */
  readonly outgoing: boolean | null;
}

/** Every UDP datagram of a pcap or pcapng capture, in capture order; throws a {@link PcapFormatError}. */
export declare function readUdpDatagrams(bytes: Uint8Array | ArrayBuffer): CapturedDatagram[];
