import { afterEach, describe, expect, it } from 'vitest';
import type { ServerEvent } from '../events.js';
import { misfits, renderAtSize, type SizedRender } from '../../test/support/render-at-size.js';
import { DashboardApp } from './DashboardApp.js';
import { createDashboardStore, type DashboardAction, type DashboardStore } from './dashboard-state.js';

const at = new Date(2024, 4, 1, 9, 30, 5);
const tick = () => new Promise((r) => setTimeout(r, 60));
const KEYS = { up: '\u001B[A', down: '\u001B[B', pageUp: '\u001B[5~', pageDown: '\u001B[6~', end: '\u001B[F' } as const;

/** A store with a server listening and `users` registered (names long enough to be cut at 60 columns). */
function storeWith(users: number, extra: readonly DashboardAction[] = []): DashboardStore {
  const store = createDashboardStore();
  const events: ServerEvent[] = [{ type: 'listening', at, host: '0.0.0.0', port: 10000, storage: 'sqlite:/srv/voip/a/rather/long/path/voip-directory.db' }];
  for (let i = 0; i < users; i++) {
    const connection = `c${i}`;
    events.push({ type: 'connected', at, connection, ip: `2001:db8::${i}`, remotePort: 40000 + i });
    events.push({ type: 'registered', at, connection, name: `user ${String(i).padStart(3, '0')} with a long name`, ip: `2001:db8::${i}`, port: 5001, since: at });
  }
  for (const event of events) store.dispatch({ type: 'server-event', event });
  for (const action of extra) store.dispatch(action);
  return store;
}

let mounted: SizedRender | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

async function show(store: DashboardStore, columns: number, rows: number): Promise<SizedRender> {
  mounted = renderAtSize(<DashboardApp store={store} onQuit={() => {}} />, columns, rows);
  await tick();
  return mounted;
}

const SIZES = [
  [60, 16],
  [80, 24],
  [200, 50],
] as const;
const USERS = [0, 3, 500] as const;
const SCREENS = {
  main: [],
  'quit confirmation': [{ type: 'quit-asked' }],
  quitting: [{ type: 'quit-requested', at }],
} satisfies Record<string, readonly DashboardAction[]>;

describe.each(Object.entries(SCREENS))('the %s screen', (_screen, actions) => {
  describe.each(SIZES)('at %ix%i', (columns, rows) => {
    it.each(USERS)('with %i users fits, header first', async (users) => {
      const { lastFrame } = await show(storeWith(users, actions), columns, rows);
      const frame = lastFrame() ?? '';
      expect(misfits(frame, columns, rows)).toEqual([]);
      const lines = frame.split('\n');
      expect(lines[0]).toContain('voip-server  listening on 0.0.0.0:10000');
      expect(lines[1]).toMatch(new RegExp(`^${users} users? online · ${users} connections?`));
      expect(lines[2]).toContain(`Users online (${users})`);
      expect(frame).toContain('── Log ');
      expect(lines.at(-1)).toMatch(/q or Ctrl-C: quit|closing every connection|online\? y: quit · any other key: stay$/);
      if (users === 0) expect(frame).toContain('nobody yet');
      if (users === 500) expect(frame).toMatch(/… and \d+ more/);
      if (users === 3) expect(frame).toContain('user 002');
    });
  });
});

describe('scrolling', () => {
  it('moves the user list with Up/Down, counting the users above and below, and stops at both ends', async () => {
    const { lastFrame, stdin } = await show(storeWith(500), 60, 16);
    expect(lastFrame()).toContain('user 000');
    expect(lastFrame()).toContain('… and 496 more');
    for (let i = 0; i < 3; i++) {
      stdin.write(KEYS.down);
      await tick();
    }
    expect(lastFrame()).not.toContain('user 002');
    expect(lastFrame()).toMatch(/user 003.*\n.*user 004.*\n.*user 005.*\n.*user 006/);
    expect(lastFrame()).toContain('… and 493 more · 3 above');
    for (let i = 0; i < 5; i++) {
      stdin.write(KEYS.up);
      await tick();
    }
    expect(lastFrame()).toContain('user 000');
    expect(lastFrame()).not.toContain('above');
  });

  it('pages the log back with PgUp, keeps the view while lines arrive, and follows again with End', async () => {
    const store = storeWith(500);
    const { lastFrame, stdin } = await show(store, 80, 24);
    expect(lastFrame()).toContain('user 499');
    stdin.write(KEYS.pageUp);
    await tick();
    expect(lastFrame()).not.toContain('registered "user 499');
    expect(lastFrame()).toMatch(/Log · \d+ newer lines below · End: newest/);
    const logLines = () => lastFrame()!.split('── Log')[1]!.split('\n').slice(1, -1);
    const before = logLines();
    expect(before.length).toBeGreaterThan(3);
    store.dispatch({ type: 'server-event', event: { type: 'connected', at, connection: 'c9999', ip: '192.0.2.1', remotePort: 1 } });
    await tick();
    expect(logLines()).toEqual(before);
    stdin.write(KEYS.end);
    await tick();
    expect(lastFrame()).toContain('connection c9999 from 192.0.2.1');
    expect(lastFrame()).not.toContain('newer line');
    stdin.write(KEYS.pageUp);
    await tick();
    stdin.write(KEYS.pageDown);
    await tick();
    expect(lastFrame()).toContain('connection c9999 from 192.0.2.1');
  });

  it('follows a resize of the terminal', async () => {
    const store = storeWith(500);
    const { lastFrame, stdout } = await show(store, 200, 50);
    Object.defineProperty(stdout, 'columns', { value: 60, configurable: true });
    Object.defineProperty(stdout, 'rows', { value: 16, configurable: true });
    stdout.emit('resize');
    await tick();
    expect(misfits(lastFrame() ?? '', 60, 16)).toEqual([]);
    expect(lastFrame()).toContain('voip-server  listening on');
  });
});

describe.each(SIZES)('a server sharing its directory, at %ix%i', (columns, rows) => {
  it.each([true, false])('fits with 500 users, its id and the other servers (database answering: %s)', async (available) => {
    const shared: ServerEvent = { type: 'directory-shared', at, serverId: 'directory-1.example.net:10000', available, otherUsers: 1234 };
    const { lastFrame } = await show(storeWith(500, [{ type: 'server-event', event: shared }]), columns, rows);
    const frame = lastFrame() ?? '';
    expect(misfits(frame, columns, rows)).toEqual([]);
    const lines = frame.split('\n');
    expect(lines[0]).toContain('voip-server  listening on 0.0.0.0:10000');
    expect(lines[1]).toMatch(/^500 users online · 500 connections/);
    if (columns >= 80) {
      expect(lines[0]).toContain('server directory-1.example.net:10000');
      expect(lines[1]).toContain(available ? '1234 on other servers' : 'database unavailable');
    }
  });
});
