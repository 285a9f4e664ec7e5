import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_BIN } from './support/spawn-server.js';
import { eventually, openClient } from './support/tcp-client.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) {
  console.warn('\n*** tmux is not installed: SKIPPING the dashboard-in-a-real-terminal test (apt-get install tmux) ***\n');
}

describe.skipIf(!hasTmux)('the dashboard in a real terminal (tmux)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voip-server-tmux-'));
  const socketName = `voip-server-test-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'dash');

  afterAll(() => {
    spawnSync('tmux', ['-L', socketName, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a registered user and quits with q, exit 0', async () => {
    const rcFile = join(dir, 'rc');
    // Ink draws nothing live when it sees a CI variable (is-in-ci); a person's terminal has none.
    const command = `env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${SERVER_BIN}' --port 0 --host 127.0.0.1 --db memory; echo $? > '${rcFile}'; sleep 30`;
    tmux('new-session', '-d', '-s', 'dash', '-x', '120', '-y', '40', command);
    let port = 0;
    await eventually(() => {
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(screen());
      if (match) port = Number(match[1]);
      return port > 0;
    }, 10_000);
    const alice = await openClient(port);
    try {
      expect(await alice.request({ command: 'REG', name: 'alice', port: 5005 })).toEqual({ ack: 'Registered successfully' });
      await eventually(() => /alice\s+127\.0\.0\.1\s+5005\s+\d\d:\d\d:\d\d/.test(screen()), 10_000);
      const shown = screen();
      expect(shown).toContain('Users online (1)');
      expect(shown).toContain('registered "alice"');
      expect(shown).toContain('q or Ctrl-C: quit');
      tmux('send-keys', '-t', 'dash', 'q');
      await eventually(() => existsSync(rcFile) && readFileSync(rcFile, 'utf8').trim() !== '', 10_000);
      expect(readFileSync(rcFile, 'utf8').trim()).toBe('0');
      await alice.closed;
    } finally {
      alice.socket.destroy();
    }
  });
});
