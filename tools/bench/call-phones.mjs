// Two real Phones (@voip/session) on loopback UDP with the impairment relay between them, and the directory server they register with.
//
// The caller's look-up of the callee answers the relay's listening address, the
// callee's look-up of the caller the relay's upstream socket: every datagram of the
// call (signalling and media, both ways) crosses the relay and its profile. The
// directory is our server (apps/server, memory backend) in a child process, so its
// CPU is not counted in this one.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Phone } from '@voip/session';
import { startImpairedPath } from './call-quality-rig.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts our directory server on an ephemeral loopback port; resolves with `{ port, close() }`. */
export function startDirectory() {
  const args = ['--no-tui', '--log', 'json', '--host', '127.0.0.1', '--port', '0', '--db', 'memory', '--rate-limit', '0', '--max-conns-per-ip', '0'];
  const child = spawn(process.execPath, [join(root, 'apps/server/bin/voip-server.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`directory server did not start: ${out}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`directory server exited with ${code}: ${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /listen[^\n]*?"port"\s*:\s*(\d+)/i.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      child.stdout.resume();
      resolve({
        port: Number(m[1]),
        close: () => new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
      });
    });
  });
}

/**
 * A caller and a callee of `protocol` ('classic': both `secure: 'off'`; 'v2': both
 * `'prefer'` and looked up as v2) through a relay with `profile`. The callee answers
 * every call. `audio` is `{ caller, callee }` PhoneOptions audio (default silence in,
 * null out). Resolves with `{ caller, callee, calleeName, relay, close() }`.
 */
export async function openPhonePair({ directoryPort, protocol, profile, seed, id, audio = {} }) {
  const secure = protocol === 'v2' ? 'prefer' : 'off';
  const v = protocol === 'v2' ? { v: 2 } : {};
  const names = { caller: `${protocol}-a${id}`, callee: `${protocol}-b${id}` };
  let relay;
  const common = { server: `127.0.0.1:${directoryPort}`, udpPort: 0, udpHost: '127.0.0.1', secure, statsIntervalMs: 60_000 };
  const callee = await Phone.connect({
    ...common,
    name: names.callee,
    audio: audio.callee,
    lookup: async (name) => ({ name, ip: '127.0.0.1', port: relay.upstream.port, ...v }),
  });
  try {
    relay = await startImpairedPath({ profile, seed, target: { host: '127.0.0.1', port: callee.udpPort } });
  } catch (error) {
    await callee.close();
    throw error;
  }
  let caller;
  try {
    caller = await Phone.connect({
      ...common,
      name: names.caller,
      audio: audio.caller,
      lookup: async (name) => ({ name, ip: '127.0.0.1', port: relay.address.port, ...v }),
    });
  } catch (error) {
    await Promise.all([callee.close(), relay.close()]);
    throw error;
  }
  callee.on('incoming', () => callee.accept());
  return {
    caller,
    callee,
    calleeName: names.callee,
    relay,
    async close() {
      await Promise.all([caller.close(), callee.close()]);
      await relay.close();
    },
  };
}
