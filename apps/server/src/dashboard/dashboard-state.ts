/** The dashboard's state and its pure reducer, with a tiny store around it. */
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
  /** For a directory shared with other servers (PostgreSQL): this server's id, whether the database answers, the others' users. */
  readonly shared: { readonly serverId: string; readonly available: boolean; readonly otherUsers: number } | undefined;
  /** Oldest first, at most {@link MAX_LOG_LINES}. */
  readonly log: readonly LogLine[];
  readonly nextLogId: number;
  /** Index of the first user shown (the list scrolls with Up/Down). */
  readonly userScroll: number;
  /** Log lines hidden below the view; 0 follows the newest line. */
  readonly logScroll: number;
  /** True while `q` waits for the user to confirm (users are online). */
  readonly confirmingQuit: boolean;
  /** True once the user asked to quit (or the server is stopping). */
  readonly quitting: boolean;
}

/** What changes the dashboard: a server event, the user scrolling, or the user asking to quit. */
export type DashboardAction =
  | { readonly type: 'server-event'; readonly event: ServerEvent }
  /** Moves the user list by `by` rows, keeping its first row within `0..max`. */
  | { readonly type: 'scroll-users'; readonly by: number; readonly max: number }
  /** Moves the log back (`by` > 0) or forward by `by` lines, keeping the hidden newer lines within `0..max`. */
  | { readonly type: 'scroll-log'; readonly by: number; readonly max: number }
  /** `q` with users online: ask before quitting. */
  | { readonly type: 'quit-asked' }
  /** The user did not confirm: the dashboard goes on. */
  | { readonly type: 'quit-cancelled' }
  | { readonly type: 'quit-requested'; readonly at: Date };

/** Lines of log kept; older ones scroll away. */
export const MAX_LOG_LINES = 200;

/** The dashboard before anything happened. */
export const initialDashboardState: DashboardState = Object.freeze({
  listening: undefined,
  users: [],
  connections: 0,
  shared: undefined,
  log: [],
  nextLogId: 1,
  userScroll: 0,
  logScroll: 0,
  confirmingQuit: false,
  quitting: false,
});

function levelOf(event: ServerEvent): LogLine['level'] {
  if (event.type === 'storage-error' || event.type === 'accept-error') return 'error';
  if (event.type === 'directory-shared' && !event.available) return 'error';
  if (event.type === 'refused') return 'warn';
  if (event.type === 'disconnected' && event.reason !== 'peer-closed' && event.reason !== 'disconnect' && event.reason !== 'server-closing') return 'warn';
  return 'info';
}

function appendLog(state: DashboardState, at: Date, text: string, level: LogLine['level']): Pick<DashboardState, 'log' | 'nextLogId' | 'logScroll'> {
  const log = [...state.log, { id: state.nextLogId, at, text, level }];
  return {
    log: log.length > MAX_LOG_LINES ? log.slice(log.length - MAX_LOG_LINES) : log,
    nextLogId: state.nextLogId + 1,
    // A log scrolled back stays on the lines being read while new ones arrive below.
    logScroll: state.logScroll > 0 ? Math.min(state.logScroll + 1, MAX_LOG_LINES - 1) : 0,
  };
}

function clamp(value: number, max: number): number {
  return Math.max(0, Math.min(value, Math.max(0, max)));
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
    case 'directory-shared':
      return { ...state, shared: { serverId: event.serverId, available: event.available, otherUsers: event.otherUsers } };
    case 'closed':
      return { ...state, users: [], connections: 0 };
    default:
      return state;
  }
}

/** The dashboard's reducer: pure, every event also becomes a log line. */
export function dashboardReducer(state: DashboardState, action: DashboardAction): DashboardState {
  if (action.type === 'scroll-users') {
    const userScroll = clamp(clamp(state.userScroll, action.max) + action.by, action.max);
    return userScroll === state.userScroll ? state : { ...state, userScroll };
  }
  if (action.type === 'scroll-log') {
    const logScroll = clamp(clamp(state.logScroll, action.max) + action.by, action.max);
    return logScroll === state.logScroll ? state : { ...state, logScroll };
  }
  if (action.type === 'quit-asked') return state.quitting || state.confirmingQuit ? state : { ...state, confirmingQuit: true };
  if (action.type === 'quit-cancelled') return state.confirmingQuit ? { ...state, confirmingQuit: false } : state;
  if (action.type === 'quit-requested') {
    if (state.quitting) return state;
    return { ...state, quitting: true, confirmingQuit: false, ...appendLog(state, action.at, 'quitting: closing every connection', 'info') };
  }
  const event = action.event;
  const next = applyEvent(state, event);
  // The header shows the other servers' count; the log only says when the database comes or goes.
  if (event.type === 'directory-shared' && state.shared !== undefined && state.shared.available === event.available) return next;
  return { ...next, ...appendLog(next, event.at, describeEvent(event), levelOf(event)) };
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
