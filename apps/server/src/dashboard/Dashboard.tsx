import { Box, Text } from 'ink';
import type { DashboardState, LogLine, OnlineUser } from './dashboard-state.js';

/** `HH:MM:SS` in local time. */
export function clockTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

function cell(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)} ` : text.padEnd(width);
}

/** Props of {@link UsersTable}. */
export interface UsersTableProps {
  readonly users: readonly OnlineUser[];
  /** Rows shown at most; the rest is summarised. */
  readonly maxRows: number;
}

/** The table of users online: name, IP, UDP port, since. */
export function UsersTable({ users, maxRows }: UsersTableProps) {
  const shown = users.slice(0, Math.max(1, maxRows));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Users online ({users.length})</Text>
      <Text dimColor>
        {cell('NAME', 34)}
        {cell('IP', 40)}
        {cell('PORT', 7)}
        SINCE
      </Text>
      {users.length === 0 ? <Text dimColor>nobody yet</Text> : null}
      {shown.map((user) => (
        <Text key={user.connection}>
          {cell(user.name, 34)}
          {cell(user.ip, 40)}
          {cell(String(user.port), 7)}
          {clockTime(user.since)}
        </Text>
      ))}
      {users.length > shown.length ? <Text dimColor>… and {users.length - shown.length} more</Text> : null}
    </Box>
  );
}

/** Props of {@link LogView}. */
export interface LogViewProps {
  readonly lines: readonly LogLine[];
  /** Lines shown: the newest ones. */
  readonly rows: number;
}

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

/** The scrolling log: the newest lines at the bottom. */
export function LogView({ lines, rows }: LogViewProps) {
  const shown = lines.slice(Math.max(0, lines.length - rows));
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Log</Text>
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
  /** Terminal rows available; the log gets what the header and table leave. */
  readonly rows: number;
}

/** The whole server dashboard: listening socket, users online, log, key help. */
export function Dashboard({ state, rows }: DashboardProps) {
  const userRows = Math.max(3, Math.min(state.users.length, Math.floor(rows / 2) - 5));
  const tableHeight = Math.max(1, Math.min(state.users.length, userRows)) + 4 + (state.users.length > userRows ? 1 : 0);
  const logRows = Math.max(3, rows - tableHeight - 7);
  const where = state.listening ? `${state.listening.host}:${state.listening.port}` : 'starting…';
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">
          voip-server
        </Text>
        {'  listening on '}
        <Text bold>{where}</Text>
        {state.listening ? `  ·  storage ${state.listening.storage}` : ''}
        {`  ·  ${state.connections} connection${state.connections === 1 ? '' : 's'}`}
      </Text>
      <UsersTable users={state.users} maxRows={userRows} />
      <LogView lines={state.log} rows={logRows} />
      <Text dimColor>{state.quitting ? 'closing every connection…' : 'q or Ctrl-C: quit (closes every connection and clears the directory)'}</Text>
    </Box>
  );
}
