/** How the dashboard shares a terminal of a given size among its parts: pure, tested without Ink. */
import type { DashboardState } from './dashboard-state.js';

/** A terminal's size in character cells. */
export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** Widths of the user table's columns; they add up to at most the terminal width. */
export interface UserColumns {
  readonly name: number;
  readonly ip: number;
  readonly port: number;
  readonly since: number;
}

/** What each part of the dashboard gets. */
export interface DashboardLayout {
  /** Rows of the user list (at least 1: "nobody yet" takes one). */
  readonly userRows: number;
  /** Index of the first user shown. */
  readonly userOffset: number;
  /** Users above and below the rows shown. */
  readonly usersAbove: number;
  readonly usersBelow: number;
  /** Whether the "N more" line is drawn below the list. */
  readonly moreLine: boolean;
  /** Largest useful {@link DashboardState.userScroll} at this size. */
  readonly maxUserScroll: number;
  /** Rows of the log (at least 1). */
  readonly logRows: number;
  /** Log lines hidden below the view, at this size. */
  readonly logScroll: number;
  /** Largest useful {@link DashboardState.logScroll} at this size. */
  readonly maxLogScroll: number;
  readonly columns: UserColumns;
}

/**
 * Lines every frame has whatever the size: two header lines, the user list's title and
 * column heads, the log's title, and the key line.
 */
export const FIXED_LINES = 6;

/** The smallest terminal the dashboard is laid out for; smaller ones still draw, cramped. */
export const MIN_SIZE: TerminalSize = Object.freeze({ columns: 60, rows: 16 });

/** Column widths for a terminal `width` wide: the name and the IP share what the port and time leave. */
export function userColumns(width: number): UserColumns {
  const port = 6;
  const since = 8;
  const rest = Math.max(16, width - port - since);
  const name = Math.max(8, Math.min(34, Math.floor(rest * 0.45)));
  const ip = Math.max(8, Math.min(40, rest - name));
  return { name, ip, port, since };
}

/**
 * Lays the dashboard out for `size`: the header and the key line always fit; the user
 * list gets up to half of the remaining rows (one of them for "N more" when it
 * overflows), the log takes the rest. Scroll positions are clamped to what exists.
 */
export function dashboardLayout(state: DashboardState, size: TerminalSize): DashboardLayout {
  const rest = Math.max(2, size.rows - FIXED_LINES);
  const users = state.users.length;
  const half = Math.max(1, Math.floor(rest / 2));
  const overflows = users > half;
  const userRows = overflows ? Math.max(1, half - 1) : Math.max(1, users);
  const moreLine = overflows;
  const maxUserScroll = Math.max(0, users - userRows);
  const userOffset = Math.min(state.userScroll, maxUserScroll);
  const logRows = Math.max(1, rest - userRows - (moreLine ? 1 : 0));
  const maxLogScroll = Math.max(0, state.log.length - logRows);
  return {
    userRows,
    userOffset,
    usersAbove: userOffset,
    usersBelow: Math.max(0, users - userOffset - userRows),
    moreLine,
    maxUserScroll,
    logRows,
    logScroll: Math.min(state.logScroll, maxLogScroll),
    maxLogScroll,
    columns: userColumns(size.columns),
  };
}
