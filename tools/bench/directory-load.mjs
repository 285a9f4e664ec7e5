#!/usr/bin/env node
// Load generator for the directory benchmark, run in its own process.
// N connections register, then each loops GET (one request in flight per connection,
// as a classic client does), with one LIST every `listEvery` requests. Several ports
// (comma-separated) split the connections between servers, connection i on port i mod n;
// the GET targets span every name, so lookups cross servers.
// Prints `{"phase":"measure"}` and `{"phase":"end"}` lines as the measured window opens
// and closes (to read the servers' CPU time then), then one JSON object with throughput
// and GET latency percentiles.
// Usage: directory-load.mjs HOST PORT[,PORT...] CONNS WARM_MS MEASURE_MS LIST_EVERY [closed|RATE] [one|spread] [NAME_PREFIX]
import net from 'node:net';
import { percentile } from './stats.mjs';

const [host, portText, connsText, warmText, measureText, listEveryText] = process.argv.slice(2);
const ports = portText.split(',').map(Number);
const conns = Number(connsText);
const warmMs = Number(warmText ?? 2000);
const measureMs = Number(measureText ?? 5000);
const listEvery = Number(listEveryText ?? 100);
// 'closed' (default): each connection sends its next request as soon as the reply
// arrives, so throughput saturates. A number: the total GET rate offered per second,
// spread evenly over the connections, to measure latency under a realistic load.
const pacedRate = process.argv[8] && process.argv[8] !== 'closed' ? Number(process.argv[8]) : 0;
// 'one' (default): every connection from 127.0.0.1. 'spread': each from its own
// loopback address 127.0.x.y, so no per-address cap of the server can bind.
const spread = process.argv[9] === 'spread';
// The names registered are NAME_PREFIX0... (default user0...), so a second run need not
// wait for the first one's names to be released.
const prefix = process.argv[10] ?? 'user';
const sourceOf = (i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

const REG_BATCH = 200;
const intervalMs = pacedRate > 0 ? (conns / pacedRate) * 1000 : 0;
let measuring = false;
let stopped = false;
let requests = 0;
let lists = 0;
// Replies that are errors (`{"ack":"Error"...}`, where a GET or LIST answer was due):
// figures with any are suspect, so they are counted and reported.
let errorReplies = 0;
const isErrorAt = (chunk, at) => chunk.toString('latin1', at, at + 6) === '{"ack"';
const latencies = [];

function connectOne(i) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: ports[i % ports.length], ...(spread ? { localAddress: sourceOf(i) } : {}) });
    socket.setNoDelay(true);
    const name = `${prefix}${i}`;
    let pendingLines = 1;
    let sentAt = 0n;
    let isGet = false;
    let count = 0;
    let registered = false;
    let regReply = '';
    let atLineStart = true;
    const next = () => {
      if (stopped) return;
      count++;
      isGet = count % listEvery !== 0;
      const target = `${prefix}${(i * 7919 + count) % conns}`;
      sentAt = process.hrtime.bigint();
      socket.write(isGet ? `{"command":"GET","name":"${target}"}\n` : '{"command":"LIST"}\n');
    };
    socket.on('data', (chunk) => {
      if (!registered) regReply += chunk.toString('utf8');
      if (measuring && atLineStart && isErrorAt(chunk, 0)) errorReplies++;
      atLineStart = chunk[chunk.length - 1] === 10;
      for (let k = chunk.indexOf(10); k >= 0; k = chunk.indexOf(10, k + 1)) {
        if (measuring && k + 1 < chunk.length && isErrorAt(chunk, k + 1)) errorReplies++;
        pendingLines--;
        if (pendingLines > 0) continue;
        if (!registered) {
          registered = true;
          const reply = regReply.slice(0, regReply.indexOf('\n'));
          if (!reply.includes('Registered successfully')) {
            reject(new Error(`REG ${name} on port ${ports[i % ports.length]} was refused: ${reply}`));
            return;
          }
          resolve({
            socket,
            start: () => {
              pendingLines = 1;
              next();
            },
          });
          continue;
        }
        if (measuring) {
          requests++;
          if (isGet) latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
          else lists++;
        }
        pendingLines = 1;
        if (pacedRate > 0) setTimeout(next, Math.max(0, intervalMs - Number(process.hrtime.bigint() - sentAt) / 1e6));
        else next();
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`{"command":"REG","name":"${name}","port":${5001 + (i % 1000)}}\n`));
  });
}

const clients = [];
for (let i = 0; i < conns; i += REG_BATCH) {
  const batch = [];
  for (let j = i; j < Math.min(conns, i + REG_BATCH); j++) batch.push(connectOne(j));
  clients.push(...(await Promise.all(batch)));
}
for (const [k, c] of clients.entries()) setTimeout(c.start, pacedRate > 0 ? (k / conns) * intervalMs : 0);
await new Promise((r) => setTimeout(r, warmMs));
console.log('{"phase":"measure"}');
measuring = true;
const cpuStart = process.cpuUsage();
const t0 = performance.now();
await new Promise((r) => setTimeout(r, measureMs));
measuring = false;
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpuStart);
console.log('{"phase":"end"}');
stopped = true;
latencies.sort((a, b) => a - b);
const pct = (p) => percentile(latencies, p);
console.log(
  JSON.stringify({
    connections: conns,
    mode: pacedRate > 0 ? `paced ${pacedRate}/s` : 'closed',
    requests,
    errorReplies,
    seconds: Math.round(elapsed * 1000) / 1000,
    requestsPerSecond: Math.round(requests / elapsed),
    listsPerSecond: Math.round(lists / elapsed),
    getP50Ms: pct(50),
    getP99Ms: pct(99),
    loadGeneratorCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / elapsed) * 100),
  }),
);
for (const c of clients) c.socket.destroy();
process.exit(0);
