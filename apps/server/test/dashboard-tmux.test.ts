import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_BIN } from './support/spawn-server.js';
import { eventually, openClient, type TestClient } from './support/tcp-client.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) {
  console.warn('\n*** tmux is not installed: SKIPPING the dashboard-in-a-real-terminal test (apt-get install tmux) ***\n');
}

describe.skipIf(!hasTmux)('the dashboard in a real terminal (tmux)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voip-server-tmux-'));
  const socketName = `voip-server-test-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socketName, ...args], { encoding: 'utf8' });
  let sessions = 0;

  afterAll(() => {
    spawnSync('tmux', ['-L', socketName, 'kill-server']);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the real binary in a new tmux window of `columns` x `rows`; resolves once it shows its port. */
  async function startInTmux(columns: number, rows: number, extraArgs: readonly string[] = []) {
    const name = `dash${++sessions}`;
    const rcFile = join(dir, `${name}.rc`);
    // Ink draws nothing live when it sees a CI variable (is-in-ci); a person's terminal has none.
    const args = ['--port', '0', '--host', '127.0.0.1', '--db', 'memory', ...extraArgs].join(' ');
    const command = `env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${SERVER_BIN}' ${args}; echo $? > '${rcFile}'; sleep 30`;
    tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command);
    const screen = () => tmux('capture-pane', '-p', '-t', name);
    let port = 0;
    await eventually(() => {
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(screen());
      if (match) port = Number(match[1]);
      return port > 0;
    }, 10_000);
    const exitCode = async () => {
      await eventually(() => existsSync(rcFile) && readFileSync(rcFile, 'utf8').trim() !== '', 10_000);
      return readFileSync(rcFile, 'utf8').trim();
    };
    /** The server process: the child of the pane's shell (`env` execs Node). */
    const serverPid = () => {
      const shell = tmux('list-panes', '-t', name, '-F', '#{pane_pid}').trim();
      return Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(' ')[0]);
    };
    return { name, port, screen, keys: (...keys: string[]) => tmux('send-keys', '-t', name, ...keys), exitCode, serverPid };
  }

  it('shows a registered user and quits with q (confirmed with y while users are online), exit 0', async () => {
    const dash = await startInTmux(120, 40);
    const alice = await openClient(dash.port);
    try {
      expect(await alice.request({ command: 'REG', name: 'alice', port: 5005 })).toEqual({ ack: 'Registered successfully' });
      await eventually(() => /alice\s+127\.0\.0\.1\s+5005\s+\d\d:\d\d:\d\d/.test(dash.screen()), 10_000);
      const shown = dash.screen();
      expect(shown).toContain('Users online (1)');
      expect(shown).toContain('registered "alice"');
      expect(shown).toContain('q or Ctrl-C: quit');
      dash.keys('q');
      await eventually(() => dash.screen().includes('y: quit'), 10_000);
      dash.keys('y');
      expect(await dash.exitCode()).toBe('0');
      await alice.closed;
    } finally {
      alice.socket.destroy();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops at once on %s with users online (no question asked), exit 0', async (signal) => {
    const dash = await startInTmux(80, 24);
    const bob = await openClient(dash.port);
    try {
      expect(await bob.request({ command: 'REG', name: 'bob' })).toEqual({ ack: 'Registered successfully' });
      await eventually(() => dash.screen().includes('1 user online'), 10_000);
      process.kill(dash.serverPid(), signal);
      expect(await dash.exitCode()).toBe('0');
      await bob.closed;
    } finally {
      bob.socket.destroy();
    }
  });

  it.each([
    [60, 16],
    [200, 50],
  ])(
    'keeps the header on screen with 500 users connected at %ix%i, and Ctrl-C stops it at once, exit 0',
    async (columns, rows) => {
      const dash = await startInTmux(columns, rows, ['--max-conns-per-ip', '0', '--max-unnamed-per-ip', '0', '--rate-limit', '0']);
      const clients: TestClient[] = [];
      try {
        for (let i = 0; i < 500; i++) clients.push(await openClient(dash.port));
        const replies = await Promise.all(clients.map((c, i) => c.request({ command: 'REG', name: `user ${String(i).padStart(3, '0')} with a long name` }, 20_000)));
        expect(replies.every((reply) => reply['ack'] === 'Registered successfully')).toBe(true);
        await eventually(() => dash.screen().includes('500 users online · 500 connections'), 20_000);
        // Let the last renders land, then read the screen as a person sees it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const lines = dash.screen().replace(/\n$/, '').split('\n');
        expect(lines).toHaveLength(rows);
        for (const line of lines) expect([...line].length).toBeLessThanOrEqual(columns);
        expect(lines[0]).toContain(`voip-server  listening on 127.0.0.1:${dash.port}`);
        expect(lines[1]).toMatch(/^500 users online · 500 connections/);
        expect(lines[2]).toContain('Users online (500)');
        expect(lines.join('\n')).toMatch(/… and \d+ more/);
        expect(lines.join('\n')).toContain('── Log ');
        expect(lines.findLast((line) => line.trim() !== '')).toContain('q or Ctrl-C: quit');
        dash.keys('Down');
        await eventually(() => dash.screen().includes('1 above'), 10_000);
        expect(dash.screen().split('\n')[0]).toContain('listening on');
        dash.keys('C-c');
        expect(await dash.exitCode()).toBe('0');
        await Promise.all(clients.map((c) => c.closed));
      } finally {
        for (const c of clients) c.socket.destroy();
      }
    },
    60_000,
  );
});
