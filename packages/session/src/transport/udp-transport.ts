/** The UDP face of the transport port, over `node:dgram`. */
import { createSocket, type Socket } from 'node:dgram';
import { PhoneError } from '../errors.js';
import type { PeerAddress } from '../call-machine-types.js';
import type { DatagramListener, Transport } from './transport.js';

/** Options of {@link bindUdpTransport}. */
export interface UdpTransportOptions {
  /** Port to receive on; 0 picks a free one. */
  readonly port: number;
  /** Address to bind; default all IPv4 interfaces. */
  readonly host?: string;
  /** Told about socket errors after binding (a send to an unreachable host, say). */
  readonly onError?: (error: Error) => void;
}

/** A {@link Transport} over a real UDP socket. */
export interface UdpTransport extends Transport {
  /** Sets the listener of socket errors that happen after binding. */
  onError(listener: (error: Error) => void): void;
}

/**
 * Binds a UDP socket. Rejects with a PhoneError 'udp-port-in-use' naming the port
 * when another socket holds it, 'udp-bind-failed' for any other bind failure.
 */
export function bindUdpTransport(options: UdpTransportOptions): Promise<UdpTransport> {
  const { port } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return Promise.reject(new PhoneError('invalid-option', `UDP port must be an integer from 0 to 65535, got ${String(port)}`, { port }));
  }
  const host = options.host ?? '0.0.0.0';
  const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4' });
  return new Promise((resolve, reject) => {
    const onBindError = (error: NodeJS.ErrnoException): void => {
      socket.close();
      if (error.code === 'EADDRINUSE') {
        reject(new PhoneError('udp-port-in-use', `UDP port ${port} is already in use on ${host}; choose another port`, { port, cause: error }));
      } else {
        reject(new PhoneError('udp-bind-failed', `cannot bind UDP port ${port} on ${host}: ${error.message}`, { port, cause: error }));
      }
    };
    socket.once('error', onBindError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onBindError);
      resolve(wrap(socket, options.onError));
    });
  });
}

function wrap(socket: Socket, initialOnError?: (error: Error) => void): UdpTransport {
  const bound = socket.address();
  const local: PeerAddress = { address: bound.address, port: bound.port };
  let listener: DatagramListener = () => {};
  let errorListener: (error: Error) => void = initialOnError ?? (() => {});
  let closed = false;
  let closing: Promise<void> | undefined;
  socket.on('message', (msg, rinfo) => {
    listener(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), { address: rinfo.address, port: rinfo.port });
  });
  socket.on('error', (error) => errorListener(error));
  return {
    local,
    send(bytes, to) {
      if (closed) throw new PhoneError('closed', 'the UDP socket is closed');
      socket.send(bytes, to.port, to.address, (error) => {
        if (error) errorListener(error);
      });
    },
    onMessage(next) {
      listener = next;
    },
    onError(next) {
      errorListener = next;
    },
    close() {
      if (!closing) {
        closed = true;
        closing = new Promise((resolve) => socket.close(() => resolve()));
      }
      return closing;
    },
  };
}
