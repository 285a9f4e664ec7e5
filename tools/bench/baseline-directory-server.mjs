#!/usr/bin/env node
// The simplest directory server that answers the benchmark's load: node:net,
// JSON.parse per line, a Map. No validation, no limits, no storage layer.
// It is the yardstick: our server's throughput is reported as a ratio of this one's.
import net from 'node:net';

const port = Number(process.argv[2] ?? 0);
const users = new Map();

const server = net.createServer((socket) => {
  let buffered = '';
  let name = null;
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const msg = JSON.parse(line);
      if (msg.command === 'REG') {
        name = msg.name;
        users.set(name.toLowerCase(), { name, ip: socket.remoteAddress, port: msg.port ?? 5001 });
        socket.write('{"ack":"Registered successfully"}\n');
      } else if (msg.command === 'GET') {
        const u = users.get(String(msg.name).toLowerCase());
        socket.write(u ? `${JSON.stringify({ ip: u.ip, port: u.port })}\n` : '{"ip":"None"}\n');
      } else if (msg.command === 'LIST') {
        const list = [...users.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
        socket.write(`${JSON.stringify({ users: list })}\n`);
      }
    }
  });
  socket.on('close', () => {
    if (name) users.delete(name.toLowerCase());
  });
  socket.on('error', () => {});
});
server.listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
process.on('SIGTERM', () => process.exit(0));
