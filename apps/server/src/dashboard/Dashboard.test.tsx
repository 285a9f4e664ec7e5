import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../events.js';
import { Dashboard, LogView, UsersTable } from './Dashboard.js';
import { DashboardApp } from './DashboardApp.js';
import { createDashboardStore, dashboardReducer, initialDashboardState, type DashboardState } from './dashboard-state.js';

const at = new Date(2024, 4, 1, 9, 30, 5);

function stateOf(events: ServerEvent[]): DashboardState {
  return events.reduce((s, event) => dashboardReducer(s, { type: 'server-event', event }), initialDashboardState);
}

const listening: ServerEvent = { type: 'listening', at, host: '0.0.0.0', port: 10000, storage: 'sqlite:voip-directory.db' };
const alice: ServerEvent = { type: 'registered', at, connection: 'c1', name: 'alice', ip: '192.0.2.7', port: 5002, since: at };

const tick = () => new Promise((r) => setTimeout(r, 60));

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('UsersTable', () => {
  it('shows name, ip, port and since', () => {
    const { lastFrame, unmount } = render(<UsersTable users={stateOf([alice]).users} rows={5} width={100} />);
    cleanup = unmount;
    expect(lastFrame()).toMatch(/alice\s+192\.0\.2\.7\s+5002\s+09:30:05/);
    expect(lastFrame()).toContain('Users online (1)');
  });

  it('says when nobody is online and summarises overflow', () => {
    const empty = render(<UsersTable users={[]} rows={5} width={100} />);
    expect(empty.lastFrame()).toContain('nobody yet');
    empty.unmount();
    const many = stateOf(Array.from({ length: 8 }, (_, i) => ({ ...alice, connection: `c${i}`, name: `u${i}` }) as ServerEvent)).users;
    const { lastFrame, unmount } = render(<UsersTable users={many} rows={3} width={100} />);
    cleanup = unmount;
    expect(lastFrame()).toContain('and 5 more');
    expect(lastFrame()).not.toContain('u5');
  });
});

describe('LogView', () => {
  it('shows the newest lines only', () => {
    const state = stateOf(Array.from({ length: 10 }, (_, i) => ({ ...alice, connection: `c${i}`, name: `user${i}` }) as ServerEvent));
    const { lastFrame, unmount } = render(<LogView lines={state.log} rows={3} />);
    cleanup = unmount;
    expect(lastFrame()).toContain('user9');
    expect(lastFrame()).toContain('user7');
    expect(lastFrame()).not.toContain('user6');
  });
});

describe('Dashboard', () => {
  it('shows the listening socket, users, log and key help', () => {
    const { lastFrame, unmount } = render(<Dashboard state={stateOf([listening, alice])} rows={30} />);
    cleanup = unmount;
    const frame = lastFrame() ?? '';
    expect(frame).toContain('listening on 0.0.0.0:10000');
    expect(frame).toContain('storage sqlite:voip-directory.db');
    expect(frame).toMatch(/alice\s+192\.0\.2\.7/);
    expect(frame).toContain('registered "alice"');
    expect(frame).toContain('q or Ctrl-C: quit');
  });

  it('shows which server it is and the users of the others; the log says only when the database goes or comes', () => {
    const shared = (available: boolean, otherUsers: number): ServerEvent => ({ type: 'directory-shared', at, serverId: 'dir-2:10000', available, otherUsers });
    const state = stateOf([listening, shared(true, 0), shared(true, 7), shared(true, 9), shared(false, 9), shared(true, 4)]);
    expect(state.log.map((line) => line.text)).toEqual([
      'listening on 0.0.0.0:10000 (storage sqlite:voip-directory.db)',
      'server dir-2:10000: 0 users on other servers',
      'server dir-2:10000: database unavailable',
      'server dir-2:10000: 4 users on other servers',
    ]);
    expect(state.log[2]?.level).toBe('error');
    const { lastFrame, unmount } = render(<Dashboard state={state} rows={30} />);
    cleanup = unmount;
    const [first, second] = (lastFrame() ?? '').split('\n');
    expect(first).toContain('server dir-2:10000');
    expect(second).toMatch(/^0 users online · 0 connections · 4 on other servers/);
    const gone = render(<Dashboard state={dashboardReducer(state, { type: 'server-event', event: shared(false, 4) })} rows={30} />);
    expect((gone.lastFrame() ?? '').split('\n')[1]).toContain('database unavailable');
    gone.unmount();
  });

  it('says when it is starting and when it is quitting', () => {
    const quitting = dashboardReducer(initialDashboardState, { type: 'quit-requested', at });
    const { lastFrame, unmount } = render(<Dashboard state={quitting} rows={20} />);
    cleanup = unmount;
    expect(lastFrame()).toContain('starting…');
    expect(lastFrame()).toContain('closing every connection');
  });
});

describe('DashboardApp', () => {
  it('follows the store and quits once on q', async () => {
    const store = createDashboardStore();
    let quits = 0;
    const { lastFrame, stdin, unmount } = render(<DashboardApp store={store} onQuit={() => quits++} />);
    cleanup = unmount;
    store.dispatch({ type: 'server-event', event: listening });
    store.dispatch({ type: 'server-event', event: alice });
    await tick();
    expect(lastFrame()).toContain('alice');
    stdin.write('x');
    await tick();
    expect(quits).toBe(0);
    stdin.write('q');
    await tick();
    expect(quits).toBe(0);
    expect(lastFrame()).toContain('quit with 1 user online? y: quit · any other key: stay');
    stdin.write('y');
    await tick();
    stdin.write('q');
    await tick();
    expect(quits).toBe(1);
    expect(lastFrame()).toContain('closing every connection');
  });

  it('asks before quitting with users online: any key but y cancels, Ctrl-C still quits at once', async () => {
    const store = createDashboardStore();
    let quits = 0;
    const { lastFrame, stdin, unmount } = render(<DashboardApp store={store} onQuit={() => quits++} />);
    cleanup = unmount;
    store.dispatch({ type: 'server-event', event: listening });
    store.dispatch({ type: 'server-event', event: alice });
    await tick();
    for (const other of ['n', 'q', '\r', '\u001B']) {
      stdin.write('q');
      await tick();
      expect(lastFrame()).toContain('y: quit');
      stdin.write(other);
      await tick();
      expect(quits).toBe(0);
      expect(lastFrame()).not.toContain('y: quit');
      expect(lastFrame()).toContain('q or Ctrl-C: quit');
    }
    stdin.write('q');
    await tick();
    stdin.write('\u0003');
    await tick();
    expect(quits).toBe(1);
    expect(lastFrame()).toContain('closing every connection');
  });

  it('quits at once on q when nobody is online', async () => {
    const store = createDashboardStore();
    let quits = 0;
    const { lastFrame, stdin, unmount } = render(<DashboardApp store={store} onQuit={() => quits++} />);
    cleanup = unmount;
    store.dispatch({ type: 'server-event', event: listening });
    await tick();
    stdin.write('q');
    await tick();
    expect(quits).toBe(1);
    expect(lastFrame()).toContain('closing every connection');
  });

  it('quits on Ctrl-C', async () => {
    const store = createDashboardStore();
    let quits = 0;
    const { stdin, unmount } = render(<DashboardApp store={store} onQuit={() => quits++} />);
    cleanup = unmount;
    await tick();
    stdin.write('\u0003');
    await tick();
    expect(quits).toBe(1);
  });
});
