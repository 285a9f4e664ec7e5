/** The server dashboard's views: header, user list, log and key line, laid out to fit the terminal. */
import { Box, Text } from 'ink';
import { dashboardLayout, userColumns, type TerminalSize, type UserColumns } from './dashboard-layout.js';
import type { DashboardState, LogLine, OnlineUser } from './dashboard-state.js';

/** `HH:MM:SS` in local time. */
export function clockTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function cell(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, Math.max(0, width - 2))}… ` : text.padEnd(width);
}

/** A title on a horizontal rule as wide as the terminal: `── Title ─────`. */
function rule(title: string, width: number): string {
  const head = `── ${title} `;
  return head.length >= width ? head.slice(0, width) : head + '─'.repeat(width - head.length);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Props of {@link UsersTable}. */
export interface UsersTableProps {
  readonly users: readonly OnlineUser[];
  /** Rows of users shown; the others are counted on the "N more" line. */
  readonly rows: number;
  /** Index of the first user shown. */
  readonly offset?: number;
  /** Terminal width. */
  readonly width: number;
  /** Column widths; default from the width. */
  readonly columns?: UserColumns;
}

/** The list of users online (name, IP, UDP port, since): a title, column heads, the rows shown and "N more". */
export function UsersTable({ users, rows, offset = 0, width, columns = userColumns(width) }: UsersTableProps) {
  const first = Math.max(0, Math.min(offset, users.length - 1));
  const shown = users.slice(first, first + Math.max(1, rows));
  const below = users.length - first - shown.length;
  const more = [below > 0 ? `… and ${below} more` : undefined, first > 0 ? `${first} above` : undefined, '↑↓ scroll'].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {rule(`Users online (${users.length})`, width)}
      </Text>
      <Text dimColor wrap="truncate-end">
        {cell('NAME', columns.name)}
        {cell('IP', columns.ip)}
        {cell('PORT', columns.port)}
        SINCE
      </Text>
      {users.length === 0 ? <Text dimColor>nobody yet</Text> : null}
      {shown.map((user) => (
        <Text key={user.connection} wrap="truncate-end">
          {cell(user.name, columns.name)}
          {cell(user.ip, columns.ip)}
          {cell(String(user.port), columns.port)}
          {clockTime(user.since)}
        </Text>
      ))}
      {below > 0 || first > 0 ? (
        <Text dimColor wrap="truncate-end">
          {more}
        </Text>
      ) : null}
    </Box>
  );
}

/** Props of {@link LogView}. */
export interface LogViewProps {
  readonly lines: readonly LogLine[];
  /** Lines shown. */
  readonly rows: number;
  /** Newer lines hidden below the view; 0 shows the newest. */
  readonly scroll?: number;
  /** Terminal width; default 100. */
  readonly width?: number;
}

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

/** The scrolling log, newest at the bottom, each line cut to the width. */
export function LogView({ lines, rows, scroll = 0, width = 100 }: LogViewProps) {
  const end = Math.max(0, lines.length - scroll);
  const shown = lines.slice(Math.max(0, end - rows), end);
  const title = scroll > 0 ? `Log · ${plural(scroll, 'newer line')} below · End: newest` : 'Log';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {rule(title, width)}
      </Text>
      {shown.map((line) => (
        <Text key={line.id} wrap="truncate-end" {...(LEVEL_COLOR[line.level] ? { color: LEVEL_COLOR[line.level] } : {})}>
          <Text dimColor>{clockTime(line.at)} </Text>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

/** Props of {@link Dashboard}. */
export interface DashboardProps {
  readonly state: DashboardState;
  /** Terminal rows available: the frame never has more. */
  readonly rows: number;
  /** Terminal columns: no line is wider. Default 100. */
  readonly columns?: number;
}

/** The key line, or what the dashboard is doing instead of waiting for keys. */
function footer(state: DashboardState): string {
  if (state.quitting) return 'closing every connection…';
  if (state.confirmingQuit) return `quit with ${plural(state.users.length, 'user')} online? y: quit · any other key: stay`;
  return 'q or Ctrl-C: quit · ↑↓: users · PgUp/PgDn: log · End: newest';
}

/** The whole server dashboard: which server and its counts, users online, log, key line. */
export function Dashboard({ state, rows, columns = 100 }: DashboardProps) {
  const size: TerminalSize = { columns, rows };
  const layout = dashboardLayout(state, size);
  const where = state.listening ? `${state.listening.host}:${state.listening.port}` : 'starting…';
  const counts = `${plural(state.users.length, 'user')} online · ${plural(state.connections, 'connection')}`;
  const shared = state.shared;
  const others = shared === undefined ? '' : shared.available ? ` · ${shared.otherUsers} on other servers` : ' · database unavailable';
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          voip-server
        </Text>
        {'  listening on '}
        <Text bold>{where}</Text>
        {shared === undefined ? '' : `  ·  server ${shared.serverId}`}
      </Text>
      <Text wrap="truncate-end">
        {counts}
        <Text color={shared?.available === false ? 'red' : undefined}>{others}</Text>
        <Text dimColor>{state.listening ? `  ·  storage ${state.listening.storage}` : ''}</Text>
      </Text>
      <UsersTable users={state.users} rows={layout.userRows} offset={layout.userOffset} width={columns} columns={layout.columns} />
      <LogView lines={state.log} rows={layout.logRows} scroll={layout.logScroll} width={columns} />
      <Text dimColor wrap="truncate-end">
        {footer(state)}
      </Text>
    </Box>
  );
}
