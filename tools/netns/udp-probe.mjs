#!/usr/bin/env node
// A UDP listener and sender for network-namespace tests: prints what it receives as JSON lines, sends numbered or given payloads.
//
// node udp-probe.mjs listen --host H --port P
//   prints {"event":"listening",...}, then {"event":"datagram","address","port","payload"} (base64) per datagram.
// node udp-probe.mjs send --to H:P [--from-port N] [--interval-ms MS] [--count N --size BYTES]
//   sends N datagrams whose first 4 bytes are their index (big-endian), padded to BYTES,
//   or without --count one datagram per base64 line of stdin; prints {"sent":N} and exits.
import dgram from 'node:dgram';
import { parseArgs } from 'node:util';

const [mode, ...rest] = process.argv.slice(2);
const { values } = parseArgs({
  args: rest,
  options: {
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', default: '0' },
    to: { type: 'string' },
    'from-port': { type: 'string', default: '0' },
    'interval-ms': { type: 'string', default: '1' },
    count: { type: 'string' },
    size: { type: 'string', default: '64' },
  },
});

function bound(port, host) {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve(socket));
  });
}

async function stdinLines() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split('\n').filter(Boolean);
}

if (mode === 'listen') {
  const socket = await bound(Number(values.port), values.host);
  socket.on('message', (payload, from) => {
    process.stdout.write(`${JSON.stringify({ event: 'datagram', address: from.address, port: from.port, payload: payload.toString('base64') })}\n`);
  });
  const { address, port } = socket.address();
  process.stdout.write(`${JSON.stringify({ event: 'listening', host: address, port })}\n`);
} else if (mode === 'send' && values.to) {
  const [host, port] = [values.to.slice(0, values.to.lastIndexOf(':')), Number(values.to.slice(values.to.lastIndexOf(':') + 1))];
  const socket = await bound(Number(values['from-port']), '0.0.0.0');
  const interval = Number(values['interval-ms']);
  let payloads;
  if (values.count !== undefined) {
    payloads = Array.from({ length: Number(values.count) }, (_, i) => {
      const p = Buffer.alloc(Math.max(4, Number(values.size)));
      p.writeUInt32BE(i, 0);
      return p;
    });
  } else {
    payloads = (await stdinLines()).map((line) => Buffer.from(line, 'base64'));
  }
  const start = performance.now();
  for (let i = 0; i < payloads.length; i++) {
    await new Promise((resolve, reject) => socket.send(payloads[i], port, host, (error) => (error ? reject(error) : resolve())));
    // Paced from the start time, not by adding intervals, so a slow send does not drift the rest.
    const wait = start + (i + 1) * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent: payloads.length })}\n`);
} else {
  process.stderr.write('usage: udp-probe.mjs listen --host H --port P | send --to H:P [--from-port N] [--interval-ms MS] [--count N --size BYTES]\n');
  process.exit(2);
}
