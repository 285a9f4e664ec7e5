import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT, runServer, type RunIo } from './run.js';

/** A RunIo whose stop signal the test fires, and whose output it reads. */
function fakeIo(onSubscribe: (stop: (signal: string) => void, written: string) => void) {
  let out = '';
  let err = '';
  const stdout = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out += chunk.toString('utf8');
      callback();
    },
  });
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      err += chunk.toString('utf8');
      callback();
    },
  });
  const io: RunIo = {
    stdout,
    stderr,
    stdinIsTTY: false,
    cwd: process.cwd(),
    onStopSignal(handler) {
      onSubscribe(handler, out);
      return () => {};
    },
  };
  return { io, out: () => out, err: () => err };
}

describe('runServer', () => {
  it('honours a stop signal that comes while it is still starting: it listens for signals before it listens for clients', async () => {
    let seenBeforeSubscribing = '';
    const { io, out } = fakeIo((stop, written) => {
      seenBeforeSubscribing = written;
      stop('SIGTERM');
    });
    const code = await runServer(['--no-tui', '--port', '0', '--host', '127.0.0.1', '--db', 'memory'], io);
    expect(code).toBe(EXIT.ok);
    expect(seenBeforeSubscribing).not.toContain('listening');
    expect(out()).toContain('server closed');
  });
});
