// Tests of the UDP transport on 127.0.0.1.
import { afterEach, describe, expect, test } from 'vitest';
import { PhoneError } from '../errors.js';
import type { PeerAddress } from '../call-machine-types.js';
import { bindUdpTransport, type UdpTransport } from './udp-transport.js';

const open: UdpTransport[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});

async function bind(port = 0): Promise<UdpTransport> {
  const t = await bindUdpTransport({ port, host: '127.0.0.1' });
  open.push(t);
  return t;
}

describe('UDP transport on 127.0.0.1', () => {
  test('sends and receives datagrams with their source', async () => {
    const a = await bind();
    const b = await bind();
    const received = new Promise<{ bytes: Uint8Array; from: PeerAddress }>((resolve) => b.onMessage((bytes, from) => resolve({ bytes, from })));
    a.send(new TextEncoder().encode('ACCEPT'), b.local);
    const { bytes, from } = await received;
    expect(new TextDecoder().decode(bytes)).toBe('ACCEPT');
    expect(from).toEqual(a.local);
  });

  test('a port in use gives udp-port-in-use naming the port', async () => {
    const a = await bind();
    const error = await bindUdpTransport({ port: a.local.port, host: '127.0.0.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ code: 'udp-port-in-use', port: a.local.port });
  });

  test.each([-1, 65536, 1.5])('port %s is refused', async (port) => {
    await expect(bindUdpTransport({ port, host: '127.0.0.1' })).rejects.toMatchObject({ code: 'invalid-option' });
  });

  test('send after close throws closed; close is idempotent', async () => {
    const a = await bind();
    await a.close();
    await a.close();
    expect(() => a.send(Uint8Array.of(1), { address: '127.0.0.1', port: 9 })).toThrow(PhoneError);
  });
});
