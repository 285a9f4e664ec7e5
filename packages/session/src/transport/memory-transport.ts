/** An in-memory network of transports on a clock, for tests: latency, loss, duplication and reordering on demand. */
import type { Clock } from '@voip/clock';
import type { PeerAddress } from '../call-machine-types.js';
import type { DatagramListener, Transport } from './transport.js';

/** What the network does with one datagram. */
export type FaultAction = 'deliver' | 'drop' | 'duplicate' | { readonly delayMs: number };

/** A datagram in flight, as a fault rule sees it. */
export interface Flight {
  readonly from: PeerAddress;
  readonly to: PeerAddress;
  readonly bytes: Uint8Array;
  /** How many datagrams the network carried before this one (0-based). */
  readonly index: number;
}

/** Options of {@link createMemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Schedules deliveries; a manual clock makes the network deterministic. */
  readonly clock: Clock;
  /** Delay of every delivery, ms; default 1. */
  readonly latencyMs?: number;
}

/** An in-memory datagram network for tests: loss, duplication and reordering on demand. */
export interface MemoryNetwork {
  /** A transport receiving on `address:port` (default address 127.0.0.1). Throws if taken. */
  bind(port: number, address?: string): Transport;
  /** Decides the fate of each datagram; default: deliver everything. */
  setFault(rule: ((flight: Flight) => FaultAction) | undefined): void;
  /** Every datagram sent so far, in order (whatever its fate). */
  readonly sent: readonly Flight[];
}

function key(a: PeerAddress): string {
  return `${a.address}:${a.port}`;
}

/** Creates an in-memory network whose deliveries happen on the given clock. */
export function createMemoryNetwork(options: MemoryNetworkOptions): MemoryNetwork {
  const { clock } = options;
  const latency = options.latencyMs ?? 1;
  const endpoints = new Map<string, { listener: DatagramListener }>();
  const sent: Flight[] = [];
  let rule: ((flight: Flight) => FaultAction) | undefined;

  function deliver(flight: Flight, delayMs: number): void {
    const copy = flight.bytes.slice();
    clock.setTimeout(() => endpoints.get(key(flight.to))?.listener(copy, flight.from), delayMs);
  }

  return {
    bind(port, address = '127.0.0.1') {
      const local = { address, port };
      if (endpoints.has(key(local))) throw new Error(`address ${key(local)} is already bound in this network`);
      const endpoint = { listener: (() => {}) as DatagramListener };
      endpoints.set(key(local), endpoint);
      let closed = false;
      return {
        local,
        send(bytes, to) {
          if (closed) throw new Error('transport closed');
          const flight: Flight = { from: local, to, bytes: bytes.slice(), index: sent.length };
          sent.push(flight);
          const action = rule ? rule(flight) : 'deliver';
          if (action === 'drop') return;
          if (action === 'duplicate') {
            deliver(flight, latency);
            deliver(flight, latency);
          } else if (action === 'deliver') {
            deliver(flight, latency);
          } else {
            deliver(flight, latency + action.delayMs);
          }
        },
        onMessage(listener) {
          endpoint.listener = listener;
        },
        close() {
          if (!closed) {
            closed = true;
            if (endpoints.get(key(local)) === endpoint) endpoints.delete(key(local));
          }
          return Promise.resolve();
        },
      };
    },
    setFault(next) {
      rule = next;
    },
    get sent() {
      return sent;
    },
  };
}
