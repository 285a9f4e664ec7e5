// Raw directory connections driven by lines, for tests that run this program inside a
// network namespace: `node line-clients.mjs HOST PORT`. Each stdin line is a JSON
// object `{"id":"a","send":{...}}`: connection `a` is opened on first use and sent the
// object as one JSON line. Stdout gets one JSON line per happening:
// `{"id":"a","connected":true}`, `{"id":"a","message":{...}}`, `{"id":"a","closed":true,"error":"ETIMEDOUT"}`.
import net from 'node:net';
import { createInterface } from 'node:readline';

const [host, port] = process.argv.slice(2);
const sockets = new Map();
const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

function open(id) {
  const socket = net.connect({ host, port: Number(port) });
  let buffered = '';
  let error;
  socket.on('connect', () => say({ id, connected: true }));
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() !== '') say({ id, message: JSON.parse(line) });
    }
  });
  socket.on('error', (e) => (error = e.code ?? e.message));
  socket.on('close', () => say({ id, closed: true, ...(error ? { error } : {}) }));
  sockets.set(id, socket);
  return socket;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === '') return;
  const { id, send } = JSON.parse(line);
  const socket = sockets.get(id) ?? open(id);
  socket.write(`${JSON.stringify(send)}\n`);
});
