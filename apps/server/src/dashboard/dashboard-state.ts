import type { ServerEvent } from '../events.js';
import { describeEvent } from '../log-format.js';

/** A user as the dashboard shows it. */
export interface OnlineUser {
  readonly connection: string;
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  readonly since: Date;
}

/** One line of the dashboard's log. */
export interface LogLine {
  readonly id: number;
  readonly at: Date;
  readonly text: string;
  readonly level: 'info' | 'warn' | 'error';
}

/** Everything the dashboard shows. */
export interface DashboardState {
  readonly listening: { readonly host: string; readonly port: number; readonly storage: string } | undefined;
  /** Sorted by name, without case. */
  readonly users: readonly OnlineUser[];
  readonly connections: number;
  /** Oldest first, at most {@link MAX_LOG_LINES}. */
  readonly log: readonly LogLine[];
  readonly nextLogId: number;
  /** True once the user asked to quit (or the server is stopping). */
  readonly quitting: boolean;
}

/** What changes the dashboard: a server event, or the user asking to quit. */
export type DashboardAction = { readonly type: 'server-event'; readonly event: ServerEvent } | { readonly type: 'quit-requested'; readonly at: Date };

/** Lines of log kept; older ones scroll away. */
export const MAX_LOG_LINES = 200;

/** The dashboard before anything happened. */
export const initialDashboardState: DashboardState = Object.freeze({
  listening: undefined,
  users: [],
  connections: 0,
  log: [],
  nextLogId: 1,
  quitting: false,
});

function levelOf(event: ServerEvent): LogLine['level'] {
  if (event.type === 'storage-error' || event.type === 'accept-error') return 'error';
  if (event.type === 'refused') return 'warn';
  if (event.type === 'disconnected' && event.reason !== 'peer-closed' && event.reason !== 'disconnect' && event.reason !== 'server-closing') return 'warn';
  return 'info';
}

function appendLog(state: DashboardState, at: Date, text: string, level: LogLine['level']): Pick<DashboardState, 'log' | 'nextLogId'> {
  const log = [...state.log, { id: state.nextLogId, at, text, level }];
  return { log: log.length > MAX_LOG_LINES ? log.slice(log.length - MAX_LOG_LINES) : log, nextLogId: state.nextLogId + 1 };
}

function byName(a: OnlineUser, b: OnlineUser): number {
  const ka = a.name.toLowerCase();
  const kb = b.name.toLowerCase();
  return ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function applyEvent(state: DashboardState, event: ServerEvent): DashboardState {
  switch (event.type) {
    case 'listening':
      return { ...state, listening: { host: event.host, port: event.port, storage: event.storage } };
    case 'connected':
      return { ...state, connections: state.connections + 1 };
    case 'disconnected':
      return { ...state, connections: Math.max(0, state.connections - 1) };
    case 'registered': {
      const user: OnlineUser = { connection: event.connection, name: event.name, ip: event.ip, port: event.port, since: event.since };
      return { ...state, users: [...state.users.filter((u) => u.connection !== event.connection), user].sort(byName) };
    }
    case 'unregistered':
      return { ...state, users: state.users.filter((u) => u.connection !== event.connection) };
    case 'closed':
      return { ...state, users: [], connections: 0 };
    default:
      return state;
  }
}

/** The dashboard's reducer: pure, every event also becomes a log line. */
export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  if (action.type === 'quit-requested') {
    if (state.quitting) return state;
    return { ...state, quitting: true, ...appendLog(state, action.at, 'quitting: closing every connection', 'info') };
  }
  const next = applyEvent(state, action.event);
  return { ...next, ...appendLog(next, action.event.at, describeEvent(action.event), levelOf(action.event)) };
}

/** A tiny store around the reducer, so events before the first render are kept. */
export interface DashboardStore {
  getState(): DashboardState;
  dispatch(action: DashboardAction): void;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** Creates a {@link DashboardStore}. */
export function createDashboardStore(initial: DashboardState = initialDashboardState): DashboardStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      state = dashboardReducer(state, action);
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
