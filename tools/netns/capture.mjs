// A running tcpdump capture of the network-namespace lab: ready once tcpdump says it listens, stopped with what it captured.
import { readFile } from 'node:fs/promises';
import { readUdpDatagrams } from './pcap-reader.mjs';

/** tcpdump exited, or failed to start capturing; `stderr` holds what it said. */
export class CaptureError extends Error {
  name = 'CaptureError';
  code = 'capture-failed';
  constructor(message, stderr) {
    super(message);
    this.stderr = stderr;
  }
}

/** Waits for `child` (tcpdump writing `file`) to capture; resolves with `{ file, stop }`. */
export function startCapture(child, file, readyTimeoutMs = 10_000) {
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new CaptureError(`tcpdump did not start capturing within ${readyTimeoutMs} ms`, stderr)), readyTimeoutMs);
    const check = () => {
      if (!/listening on /.test(stderr)) return;
      clearTimeout(timer);
      child.stderr.off('data', check);
      resolve();
    };
    child.stderr.on('data', check);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new CaptureError(`tcpdump exited (${code ?? signal}) before capturing: ${stderr.trim()}`, stderr));
    });
  });
  let stopped;
  const stop = () =>
    (stopped ??= (async () => {
      child.kill('SIGINT');
      const { code, signal } = await exited;
      if (code !== 0) throw new CaptureError(`tcpdump ended with ${code ?? signal}: ${stderr.trim()}`, stderr);
      const number = (what) => Number(new RegExp(`(\\d+) packets? ${what}`).exec(stderr)?.[1] ?? NaN);
      return { file, captured: number('captured'), droppedByKernel: number('dropped by kernel'), datagrams: readUdpDatagrams(await readFile(file)) };
    })());
  return ready.then(() => ({ file, stop }));
}
