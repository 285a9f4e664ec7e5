import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';

// The real binary in a real terminal (tmux). Without tmux this suite is skipped, and says so.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('\n*** tmux is not installed: the terminal test of voip-client is SKIPPED ***\n');

const BIN = resolve(import.meta.dirname, '../../bin/voip-client.js');
let dir: string | undefined;

afterEach(() => {
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

describe.skipIf(!hasTmux)('voip-client in a terminal', () => {
  test('the form shows, a bad port is refused inline, Ctrl-C exits 0', { timeout: 60_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'voip-client-tui-'));
    const sock = join(dir, 'tmux.sock');
    const rcFile = join(dir, 'rc');
    const tmux = (...args: string[]): string => execFileSync('tmux', ['-S', sock, ...args], { encoding: 'utf8' });
    // Ink draws nothing live when it sees a CI variable (is-in-ci); a person's terminal has none.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION node ${JSON.stringify(BIN)} --audio-in silence --audio-out null; echo $? > ${JSON.stringify(rcFile)}`;
    tmux('new-session', '-d', '-s', 'client', '-x', '110', '-y', '30', 'sh', '-c', command);
    const screen = (): string => tmux('capture-pane', '-p', '-t', 'client');

    await until(screen, (t) => t.includes('Server IP or host'), 'the connect form');
    tmux('send-keys', '-t', 'client', '-l', '127.0.0.1');
    tmux('send-keys', '-t', 'client', 'Enter');
    await until(screen, (t) => t.includes('› Server port'), 'focus on the port');
    // One key per read, as a person types: Ink reports a chunk of several DELs as one unnamed key.
    for (let i = 0; i < 5; i++) {
      tmux('send-keys', '-t', 'client', 'BSpace');
      await new Promise((r) => setTimeout(r, 100));
    }
    tmux('send-keys', '-t', 'client', '-l', '99999');
    tmux('send-keys', '-t', 'client', 'Enter');
    await until(screen, (t) => t.includes('› Your name'), 'focus on the name');
    tmux('send-keys', '-t', 'client', '-l', 'alice');
    tmux('send-keys', '-t', 'client', 'Enter');
    const refused = await until(screen, (t) => t.includes('port 99999 is out of range (1024-65535)'), 'the inline port error');
    expect(refused).toContain('127.0.0.1');
    expect(refused).not.toContain('bad host');

    tmux('send-keys', '-t', 'client', 'C-c');
    await until(() => (existsSync(rcFile) ? readFileSync(rcFile, 'utf8') : ''), (t) => t.trim() !== '', 'the exit code');
    expect(readFileSync(rcFile, 'utf8').trim()).toBe('0');
  });
});
