// Runs the directory load generator (directory-load.mjs) as its own process and
// resolves with its figures, calling back as its measured window opens and closes.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const generator = join(import.meta.dirname, 'directory-load.mjs');

/**
 * One load run against `ports` (one server, or several splitting the connections).
 * `mode` is 'closed' or a paced GET rate; `sources` 'one' or 'spread' (a loopback
 * address per connection). `onPhase('measure' | 'end')` runs as the generator enters
 * and leaves its measured window, to read the servers' CPU time then. The names
 * registered are `names`0, `names`1...
 */
export function runLoadGenerator({ ports, conns, mode = 'closed', warmMs, measureMs, listEvery = 100, sources = 'one', names = 'user', onPhase = () => {} }) {
  return new Promise((resolve, reject) => {
    const args = [generator, '127.0.0.1', ports.join(','), String(conns), String(warmMs), String(measureMs), String(listEvery), String(mode), sources, names];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let result;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      for (let nl = out.indexOf('\n'); nl >= 0; nl = out.indexOf('\n')) {
        const message = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (message.phase) onPhase(message.phase);
        else result = message;
      }
    });
    child.once('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`load generator exited ${code} against port(s) ${ports.join(',')}`))));
  });
}
