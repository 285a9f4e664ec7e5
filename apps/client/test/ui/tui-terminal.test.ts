import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { freeUdpPort, freeUdpPorts, LOOPBACK } from '../support/ports.js';
import { useE2e } from '../support/voip.js';

// The real binary in a real terminal (tmux). Without tmux this suite is skipped, and says so.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('\n*** tmux is not installed: the terminal test of voip-client is SKIPPED ***\n');

const BIN = resolve(import.meta.dirname, '../../bin/voip-client.js');
let dir: string | undefined;
const sockets: Socket[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  if (!dir) return;
  spawnSync('tmux', ['-S', join(dir, 'tmux.sock'), 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function until(read: () => string, check: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  for (let i = 0; i < 150; i++) {
    text = read();
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never appeared; screen was:\n${text}`);
}

/** A client in a tmux window of the given size; `screen()` is what a person sees. */
function terminal(args: string, columns: number, rows: number) {
  dir = mkdtempSync(join(tmpdir(), 'voip-client-tui-'));
  const sock = join(dir, 'tmux.sock');
  const rcFile = join(dir, 'rc');
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-S', sock, ...a], { encoding: 'utf8' });
  // Ink draws nothing live when it sees a CI variable (is-in-ci); a person's terminal has none.
  const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${JSON.stringify(BIN)} --audio-in silence --audio-out null ${args}; echo $? > ${JSON.stringify(rcFile)}`;
  tmux('new-session', '-d', '-s', 'client', '-x', String(columns), '-y', String(rows), 'sh', '-c', command);
  return {
    tmux,
    screen: (): string => tmux('capture-pane', '-p', '-t', 'client'),
    keys: (...keys: string[]): void => void tmux('send-keys', '-t', 'client', ...keys),
    text: (text: string): void => void tmux('send-keys', '-t', 'client', '-l', text),
    exitCode: async (): Promise<string> => {
      await until(
        () => (existsSync(rcFile) ? readFileSync(rcFile, 'utf8') : ''),
        (t) => t.trim() !== '',
        'the exit code',
      );
      return readFileSync(rcFile, 'utf8').trim();
    },
  };
}

/** Registers `name` in the directory on its own connection, as another client would. */
async function register(port: number, name: string, udpPort: number): Promise<void> {
  const socket = connect(port, LOOPBACK);
  sockets.push(socket);
  await new Promise<void>((ok, fail) => socket.once('connect', ok).once('error', fail));
  const reply = new Promise<string>((ok) => socket.once('data', (data) => ok(String(data))));
  socket.write(`${JSON.stringify({ command: 'REG', name, port: udpPort })}\n`);
  expect(await reply).toContain('Registered successfully');
}

describe.skipIf(!hasTmux)('voip-client in a terminal', () => {
  const e2e = useE2e();

  test('the form shows, a bad port is refused inline, Ctrl-C exits 0', { timeout: 60_000 }, async () => {
    const t = terminal('', 110, 30);
    await until(t.screen, (s) => s.includes('Server IP or host'), 'the connect form');
    t.text('127.0.0.1');
    t.keys('Enter');
    await until(t.screen, (s) => s.includes('› Server port'), 'focus on the port');
    // Five Backspaces in one go: every one of them is applied.
    t.keys('BSpace', 'BSpace', 'BSpace', 'BSpace', 'BSpace');
    t.text('99999');
    t.keys('Enter');
    await until(t.screen, (s) => s.includes('› Your name'), 'focus on the name');
    t.text('alice');
    t.keys('Enter');
    const refused = await until(t.screen, (s) => s.includes('port 99999 is out of range (1-65535)'), 'the inline port error');
    expect(refused).toContain('127.0.0.1');
    expect(refused).not.toContain('bad host');
    expect(refused).not.toMatch(/Server port\s+\S*10000/);

    t.keys('C-c');
    expect(await t.exitCode()).toBe('0');
  });

  test('30 users at 120x40 and at 60x16: title and status stay, an incoming call shows who and the keys', { timeout: 90_000 }, async () => {
    const server = await e2e.server();
    const ports = await freeUdpPorts(30);
    for (let i = 0; i < 30; i++) await register(server.port, `user${String(i).padStart(2, '0')}`, ports[i]!);
    const t = terminal(`--server ${server.address} --name alice --udp-port ${await freeUdpPort()}`, 120, 40);
    const main = await until(t.screen, (s) => s.includes('user29') || s.includes('more'), 'the user list');
    expect(main).toContain('voip · alice @');
    expect(main).toMatch(/^idle/m);
    expect(main).toContain('Users online (31)');

    await e2e.client({ name: 'bob', server: server.address, call: 'alice' });
    const ringing = await until(t.screen, (s) => s.includes('bob is calling'), 'the incoming call');
    expect(ringing).toContain('press a or y to accept, r or n to reject');
    expect(ringing).toContain('voip · alice @');

    t.tmux('resize-window', '-t', 'client', '-x', '60', '-y', '16');
    const small = await until(
      t.screen,
      // tmux first reflows the old 120-column frame into the new size: wait for the client's own redraw.
      (s) => s.includes('voip · alice @') && s.includes('bob is calling') && s.includes('press a or y to accept') && !s.includes('user29'),
      'the 60x16 layout',
    );
    expect(small).toContain('voip · alice @');
    expect(small).toContain('press a or y to accept, r or n to reject');
    expect(small).toMatch(/… \d+ more/);

    t.keys('q');
    await until(t.screen, (s) => s.includes('Quit now and hang up'), 'the quit question');
    t.keys('y');
    expect(await t.exitCode()).toBe('0');
  });
});
