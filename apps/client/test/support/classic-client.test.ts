import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient } from './classic-client.js';
import { freeUdpPorts, LOOPBACK } from './ports.js';
import { noiseSignal } from './wav.js';

/** A directory as the reference wrote it: one request per read, replies without newline. */
async function referenceDirectory(): Promise<{ server: Server; port: number; requests: string[] }> {
  const users = new Map<string, { ip: string; port: number }>();
  const requests: string[] = [];
  const server = createServer((socket: Socket) => {
    socket.on('data', (chunk) => {
      requests.push(chunk.toString());
      const req = JSON.parse(chunk.toString()) as Record<string, unknown>;
      const command = req.command ?? req.cmd;
      let reply: object = { ack: 'Error' };
      if (command === 'REG') {
        users.set(String(req.name), { ip: '127.0.0.1', port: Number(req.port ?? 5001) });
        reply = { ack: 'Registered successfully' };
      } else if (command === 'GET') {
        reply = users.get(String(req.name)) ?? { ip: 'None' };
      } else if (command === 'DISCONNECT') {
        users.delete(String(req.name));
        reply = { ack: 'Disconnected' };
      }
      socket.write(JSON.stringify(reply));
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, requests };
}

describe('the classic client double', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn();
  });

  it('registers, calls another double, exchanges audio both ways and hangs up', async () => {
    const dir = await referenceDirectory();
    cleanups.push(() => new Promise((resolve) => dir.server.close(() => resolve())));
    const [portA, portB] = await freeUdpPorts(2);
    const signalA = noiseSignal(2048, 1);
    const signalB = noiseSignal(2048, 2);
    const a = await ClassicClient.start({ name: 'a', serverPort: dir.port, udpPort: portA!, signal: signalA });
    cleanups.push(() => a.close());
    const b = await ClassicClient.start({ name: 'b', serverPort: dir.port, udpPort: portB!, signal: signalB });
    cleanups.push(() => b.close());
    expect(dir.requests[0]).toBe(JSON.stringify({ cmd: 'REG', name: 'a', port: portA }));

    const answered = a.call('b');
    const start = await b.waitForStart();
    expect(start.caller).toBe('a');
    await b.accept(start.caller, start.from);
    expect(await answered).toBe('ACCEPT');

    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(a.signals.filter((s) => s.text === 'ACCEPT')).toHaveLength(10);
    const mark = b.mark();
    a.hangup();
    await b.waitForClose(5000, mark);
    const heardByB = b.receivedSamples();
    const heardByA = a.receivedSamples();
    expect(Array.from(heardByB.subarray(0, 2048))).toEqual(Array.from(signalA));
    expect(Array.from(heardByA.subarray(0, 2048))).toEqual(Array.from(signalB));
    expect(a.strayAudio).toEqual([]);
  });

  it('gets REJECT and a not-found lookup', async () => {
    const dir = await referenceDirectory();
    cleanups.push(() => new Promise((resolve) => dir.server.close(() => resolve())));
    const [portA, portB] = await freeUdpPorts(2);
    const a = await ClassicClient.start({ name: 'a', serverPort: dir.port, udpPort: portA! });
    cleanups.push(() => a.close());
    const b = await ClassicClient.start({ name: 'b', serverPort: dir.port, udpPort: portB! });
    cleanups.push(() => b.close());
    await expect(a.call('nobody')).rejects.toMatchObject({ code: 'not-found' });
    const answered = a.call('b');
    b.reject((await b.waitForStart()).from);
    expect(await answered).toBe('REJECT');
    expect(a.audioSent).toBe(0);
  });
});
