// Tests that run the example program as two real processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { startTestDirectoryServer, type TestDirectoryServer } from './support/test-directory-server.js';

const example = fileURLToPath(new URL('../examples/phone-demo.mjs', import.meta.url));
const children: ChildProcess[] = [];
let server: TestDirectoryServer | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await server?.close();
});

/** Runs the example; collects its JSON event lines. */
function run(args: string[]): { events: Record<string, unknown>[]; next(event: string): Promise<Record<string, unknown>>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [example, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const events: Record<string, unknown>[] = [];
  const waiters: { event: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      for (const w of waiters.filter((w) => w.event === event['event'])) w.resolve(event);
    }
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && stderr) console.error(stderr);
      resolve(code);
    }),
  );
  return {
    events,
    next: (event) =>
      new Promise((resolve) => {
        const seen = events.find((e) => e['event'] === event);
        if (seen) resolve(seen);
        else waiters.push({ event, resolve });
      }),
    exit,
  };
}

test('the README example calls, talks, hangs up and exits cleanly', async () => {
  server = await startTestDirectoryServer();
  const at = `127.0.0.1:${server.port}`;
  const bob = run(['--server', at, '--name', 'bob', '--port', '0', '--host', '127.0.0.1', '--input', 'tone:880']);
  await bob.next('registered');
  const alice = run(['--server', at, '--name', 'alice', '--port', '0', '--host', '127.0.0.1', '--call', 'bob', '--seconds', '2']);
  expect(await alice.exit).toBe(0);
  expect(await bob.exit).toBe(0);
  expect(alice.events.map((e) => e['event'])).toEqual(['registered', 'connected', 'ended']);
  expect(bob.events.map((e) => e['event'])).toEqual(['registered', 'incoming', 'ended']);
  expect(bob.events[2]).toMatchObject({ reason: 'remote-hangup', peer: 'alice' });
  expect(alice.events[2]).toMatchObject({ reason: 'hangup' });
  expect(bob.events[2]!['packetsReceived']).toBeGreaterThan(5);
  expect(server.users()).toEqual([]);
}, 30_000);
