#!/usr/bin/env node
// A faithful double of the reference directory server behind the seed report
// (`python_serv.py`): the same TCP behaviour, as a module and as a runnable program.
import net from 'node:net';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ClassicConnection } from './classic-request-handler.mjs';
import { ClassicUsersTable } from './classic-users-table.mjs';

/** What one `recv(1024)` of the reference server returns at most. */
export const RECV_SIZE = 1024;

/**
 * Starts the double on `host:port` (default 127.0.0.1, port 0 for any free one).
 * Every connection is served like the reference's handler thread: at most 1024
 * buffered bytes are taken at a time and handled alone; once the handler raises it
 * reads no more, and the socket is closed, unless it is the newest connection, which
 * stays open and silent until the next one is accepted (the reference's accept loop
 * still holds it). See `docs/protocol.md`, "The classic server". Known differences:
 * a `name` that is not a string raises (`UnsupportedName`); `NaN`/`Infinity`, which
 * Python's json.loads accepts, do not parse; crafted SQL in a name is an SQL error.
 *
 * @param {import('./classic-directory-server.d.mts').ClassicDirectoryServerOptions} [options]
 * @returns {Promise<import('./classic-directory-server.d.mts').ClassicDirectoryServer>}
 */
export async function startClassicDirectoryServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  if (!net.isIPv4(host)) throw new TypeError(`classic directory server: host must be an IPv4 address (AF_INET), got ${JSON.stringify(host)}`);
  const table = new ClassicUsersTable();
  const requests = [];
  const log = [];
  const sockets = new Set();
  /** The connection the reference's accept loop still references, with whether its handler has ended. */
  let newest = null;
  let nextId = 1;
  const record = (entry) => {
    log.push(entry);
    options.log?.(entry);
  };

  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const conn = nextId++;
    const ip = socket.remoteAddress ?? '';
    sockets.add(socket);
    const state = { socket, ended: false };
    // Accepting rebinds the accept loop's variable: the previous newest socket, if its handler ended, is closed now.
    if (newest?.ended) newest.socket.destroy();
    newest = state;
    record({ event: 'connection', conn, ip, port: socket.remotePort });

    const handler = new ClassicConnection(table, ip);
    const buffered = [];
    let size = 0;
    const stop = () => {
      state.ended = true;
      socket.pause();
      if (newest !== state) socket.destroy();
    };
    const serve = (eof) => {
      while (!state.ended && (size > 0 || eof)) {
        const all = Buffer.concat(buffered.splice(0));
        const take = all.subarray(0, RECV_SIZE);
        if (all.length > take.length) buffered.push(all.subarray(RECV_SIZE));
        size = all.length - take.length;
        const outcome = handler.receive(take);
        if (outcome.request !== null && typeof outcome.request === 'object' && !Array.isArray(outcome.request)) requests.push(outcome.request);
        record({ event: 'request', conn, bytes: take.toString('utf8'), ...outcome });
        if (outcome.reply !== undefined) socket.write(outcome.reply);
        else stop();
      }
    };
    socket.on('data', (chunk) => {
      if (state.ended) return;
      buffered.push(chunk);
      size += chunk.length;
      serve(false);
    });
    socket.on('end', () => serve(true));
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      state.ended = true;
      record({ event: 'closed', conn });
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, backlog: 5 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = server.address().port;
  record({ event: 'listening', host, port });

  return {
    host,
    port,
    address: `${host}:${port}`,
    get users() {
      const users = new Map();
      for (const { username, ip } of table.rows()) if (!users.has(username)) users.set(username, ip);
      return users;
    },
    rows: () => table.rows(),
    requests,
    log,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Parses `--host H --port P`; throws a TypeError naming the bad argument. */
export function parseClassicServerArgs(argv) {
  const options = { host: '127.0.0.1', port: 10000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new TypeError(`${flag} needs a value`);
    if (flag === '--host') options.host = value;
    else if (flag === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw new TypeError(`--port must be 0-65535, got ${value}`);
      options.port = Number(value);
    } else throw new TypeError(`unknown argument ${flag} (usage: --host H --port P)`);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseClassicServerArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`classic-directory-server: ${error.message}\n`);
    process.exit(64);
  }
  const server = await startClassicDirectoryServer({ ...options, log: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`) });
  const quit = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
}

const invoked = process.argv[1] && realpathSync(process.argv[1]);
if (invoked === realpathSync(fileURLToPath(import.meta.url))) {
  main().catch((error) => {
    process.stderr.write(`classic-directory-server: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
