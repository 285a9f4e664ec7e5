import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '../events.js';
import { dashboardLayout, FIXED_LINES, userColumns } from './dashboard-layout.js';
import { dashboardReducer, initialDashboardState, type DashboardState } from './dashboard-state.js';

const at = new Date('2024-05-01T12:00:00Z');

function withUsers(count: number): DashboardState {
  let state = initialDashboardState;
  for (let i = 0; i < count; i++) {
    const event: ServerEvent = { type: 'registered', at, connection: `c${i}`, name: `u${String(i).padStart(3, '0')}`, ip: '10.0.0.1', port: 5001, since: at };
    state = dashboardReducer(state, { type: 'server-event', event });
  }
  return state;
}

describe('dashboardLayout', () => {
  it.each([
    [16, 0],
    [16, 3],
    [16, 500],
    [24, 3],
    [24, 500],
    [50, 0],
    [50, 500],
  ])('at %i rows with %i users never needs more rows than the terminal has', (rows, users) => {
    const layout = dashboardLayout(withUsers(users), { columns: 80, rows });
    expect(FIXED_LINES + layout.userRows + (layout.moreLine ? 1 : 0) + layout.logRows).toBeLessThanOrEqual(rows);
    expect(layout.userRows).toBeGreaterThanOrEqual(1);
    expect(layout.logRows).toBeGreaterThanOrEqual(1);
    expect(layout.moreLine).toBe(users > layout.userRows);
  });

  it('shows every user when they fit, and the log takes the rest', () => {
    expect(dashboardLayout(withUsers(3), { columns: 80, rows: 24 })).toMatchObject({ userRows: 3, moreLine: false, logRows: 15, usersBelow: 0 });
  });

  it('clamps a scroll position the list no longer has (users left)', () => {
    const state = { ...withUsers(3), userScroll: 400, logScroll: 999 };
    const layout = dashboardLayout(state, { columns: 80, rows: 16 });
    expect(layout.userOffset).toBe(0);
    expect(layout.logScroll).toBe(0);
  });

  it.each([60, 80, 200])('gives table columns that fit %i columns', (width) => {
    const c = userColumns(width);
    expect(c.name + c.ip + c.port + c.since).toBeLessThanOrEqual(width);
    expect(c.name).toBeGreaterThanOrEqual(8);
  });
});

describe('scroll actions', () => {
  it('keep the user list within 0..max', () => {
    let state = withUsers(10);
    state = dashboardReducer(state, { type: 'scroll-users', by: 3, max: 6 });
    expect(state.userScroll).toBe(3);
    state = dashboardReducer(state, { type: 'scroll-users', by: 30, max: 6 });
    expect(state.userScroll).toBe(6);
    state = dashboardReducer(state, { type: 'scroll-users', by: -1, max: 2 });
    expect(state.userScroll).toBe(1);
    state = dashboardReducer(state, { type: 'scroll-users', by: -5, max: 6 });
    expect(state.userScroll).toBe(0);
  });

  it('keep a log scrolled back on the same lines while new ones arrive', () => {
    let state = withUsers(10);
    state = dashboardReducer(state, { type: 'scroll-log', by: 4, max: 8 });
    expect(state.logScroll).toBe(4);
    state = withUsersAfter(state, 1);
    expect(state.logScroll).toBe(5);
    state = dashboardReducer(state, { type: 'scroll-log', by: -99, max: 9 });
    expect(state.logScroll).toBe(0);
    expect(withUsersAfter(state, 1).logScroll).toBe(0);
  });
});

function withUsersAfter(state: DashboardState, count: number): DashboardState {
  for (let i = 0; i < count; i++) {
    state = dashboardReducer(state, { type: 'server-event', event: { type: 'connected', at, connection: `x${i}`, ip: '10.0.0.2', remotePort: 1 } });
  }
  return state;
}
