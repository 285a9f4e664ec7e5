import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** The only address end-to-end tests use. */
export const LOOPBACK = '127.0.0.1';

/**
 * A UDP port that was free a moment ago on 127.0.0.1: binds port 0, reads the port the
 * kernel chose, and releases it. Another process could take it in between; tests
 * running on a shared machine accept that small race.
 */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket({ type: 'udp4' });
  return new Promise<number>((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind(0, LOOPBACK, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** Several distinct free UDP ports (see {@link freeUdpPort}). */
export async function freeUdpPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freeUdpPort());
  return [...ports];
}

/** A TCP port that was free a moment ago on 127.0.0.1 (same race as {@link freeUdpPort}). */
export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no TCP port assigned'))));
    });
  });
}
