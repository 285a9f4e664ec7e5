import { describe, expect, it } from 'vitest';
import type { ServerEvent } from '../events.js';
import { createDashboardStore, dashboardReducer, initialDashboardState, MAX_LOG_LINES, type DashboardState } from './dashboard-state.js';

const at = new Date('2024-05-01T12:00:00Z');

function run(events: ServerEvent[], state: DashboardState = initialDashboardState): DashboardState {
  return events.reduce((s, event) => dashboardReducer(s, { type: 'server-event', event }), state);
}

const reg = (connection: string, name: string): ServerEvent => ({ type: 'registered', at, connection, name, ip: '10.0.0.1', port: 5001, since: at });

describe('dashboardReducer', () => {
  it('records where the server listens', () => {
    const state = run([{ type: 'listening', at, host: '0.0.0.0', port: 10000, storage: 'memory' }]);
    expect(state.listening).toEqual({ host: '0.0.0.0', port: 10000, storage: 'memory' });
    expect(state.log.map((l) => l.text)).toEqual(['listening on 0.0.0.0:10000 (storage memory)']);
  });

  it('keeps users sorted by name and removes them by connection', () => {
    const state = run([reg('c1', 'zoe'), reg('c2', 'Bob'), reg('c3', 'alice'), { type: 'unregistered', at, connection: 'c2', name: 'Bob', ip: '10.0.0.1' }]);
    expect(state.users.map((u) => u.name)).toEqual(['alice', 'zoe']);
  });

  it('counts connections', () => {
    const state = run([
      { type: 'connected', at, connection: 'c1', ip: '1.1.1.1', remotePort: 1 },
      { type: 'connected', at, connection: 'c2', ip: '1.1.1.1', remotePort: 2 },
      { type: 'disconnected', at, connection: 'c1', ip: '1.1.1.1', reason: 'reset' },
    ]);
    expect(state.connections).toBe(1);
    expect(state.log.at(-1)?.level).toBe('warn');
  });

  it('marks storage errors and refusals', () => {
    const state = run([
      { type: 'storage-error', at, operation: 'list', detail: 'boom' },
      { type: 'refused', at, connection: 'c1', ip: '1.1.1.1', reason: 'register first' },
    ]);
    expect(state.log.map((l) => l.level)).toEqual(['error', 'warn']);
  });

  it('keeps only the last lines of log', () => {
    const events = Array.from({ length: MAX_LOG_LINES + 5 }, (_, i) => reg(`c${i}`, `u${i}`));
    const state = run(events);
    expect(state.log).toHaveLength(MAX_LOG_LINES);
    expect(state.log.at(-1)?.id).toBe(MAX_LOG_LINES + 5);
  });

  it('quits once', () => {
    const once = dashboardReducer(initialDashboardState, { type: 'quit-requested', at });
    expect(once.quitting).toBe(true);
    expect(dashboardReducer(once, { type: 'quit-requested', at })).toBe(once);
  });

  it('clears users when the server closes', () => {
    expect(run([reg('c1', 'a'), { type: 'closed', at }]).users).toEqual([]);
  });
});

describe('createDashboardStore', () => {
  it('applies actions and notifies subscribers', () => {
    const store = createDashboardStore();
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.dispatch({ type: 'server-event', event: reg('c1', 'a') });
    stop();
    store.dispatch({ type: 'server-event', event: reg('c2', 'b') });
    expect(calls).toBe(1);
    expect(store.getState().users).toHaveLength(2);
  });
});
