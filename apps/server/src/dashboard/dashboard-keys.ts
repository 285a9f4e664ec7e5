/** What each key does on the dashboard: pure, from the state and the terminal size to actions. */
import type { Key } from 'ink';
import { dashboardLayout, type TerminalSize } from './dashboard-layout.js';
import type { DashboardAction, DashboardState } from './dashboard-state.js';

/** The outcome of one key press. */
export interface KeyOutcome {
  /** Dispatched to the store, in order. */
  readonly actions: readonly DashboardAction[];
  /** True when the server must stop now (the caller stops it once). */
  readonly quit: boolean;
}

const NOTHING: KeyOutcome = Object.freeze({ actions: [], quit: false });

/** The key a user presses, as Ink reports it; only the fields the dashboard reads. */
export type DashboardKey = Pick<Key, 'ctrl' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'end'>;

/**
 * Maps a key to actions: Up/Down scroll the users, PgUp/PgDn the log by a page, End
 * follows the newest log line again, Ctrl-C quits at once; `q` quits at once when
 * nobody is online, else asks, and then `y` quits and any other key stays.
 */
export function dashboardKey(state: DashboardState, size: TerminalSize, input: string, key: DashboardKey, at: Date): KeyOutcome {
  if (state.quitting) return NOTHING;
  if (key.ctrl && input === 'c') return { actions: [{ type: 'quit-requested', at }], quit: true };
  if (state.confirmingQuit) {
    if (input === 'y' || input === 'Y') return { actions: [{ type: 'quit-requested', at }], quit: true };
    return { actions: [{ type: 'quit-cancelled' }], quit: false };
  }
  const layout = dashboardLayout(state, size);
  if (key.upArrow) return { actions: [{ type: 'scroll-users', by: -1, max: layout.maxUserScroll }], quit: false };
  if (key.downArrow) return { actions: [{ type: 'scroll-users', by: 1, max: layout.maxUserScroll }], quit: false };
  if (key.pageUp) return { actions: [{ type: 'scroll-log', by: layout.logRows, max: layout.maxLogScroll }], quit: false };
  if (key.pageDown) return { actions: [{ type: 'scroll-log', by: -layout.logRows, max: layout.maxLogScroll }], quit: false };
  if (key.end) return { actions: [{ type: 'scroll-log', by: -layout.maxLogScroll, max: layout.maxLogScroll }], quit: false };
  if (input === 'q' || input === 'Q') {
    if (state.users.length > 0) return { actions: [{ type: 'quit-asked' }], quit: false };
    return { actions: [{ type: 'quit-requested', at }], quit: true };
  }
  return NOTHING;
}
