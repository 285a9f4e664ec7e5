/** The user list: a window over the users online that keeps the selection in view, with its filter. */
import { Box, Text } from 'ink';
import type { UserFilter, UsersStatus } from '../app-state.js';
import { listWindow } from '../layout.js';
import type { DirectoryUser } from '../phone-contract.js';
import { TextField } from './TextField.js';

/** Props of {@link UserList}. */
export interface UserListProps {
  /** The users the filter lets through. */
  readonly users: readonly DirectoryUser[];
  /** How many are online in all. */
  readonly total: number;
  readonly status: UsersStatus;
  readonly selected: number;
  /** Our own name, marked "(you)". */
  readonly self: string;
  readonly filter?: UserFilter;
  /** Rows for entries (the "N more" line included). */
  readonly rows: number;
}

const UNSUPPORTED = ['user list unavailable: this directory (a classic server)', 'offers no LIST/WATCH.', 'Press c to call someone by name.'];

/** Rows the list would fill. */
export function userListRows(status: UsersStatus, count: number): number {
  if (status === 'unsupported') return UNSUPPORTED.length;
  return Math.max(1, status === 'ready' ? count : 1);
}

/** The users online, the highlighted one marked and kept in view; or why there is no list. */
export function UserList({ users, total, status, selected, self, filter, rows }: UserListProps) {
  const window = listWindow(users.length, selected, rows);
  const counts = status === 'ready' ? (filter && filter.value !== '' ? ` (${users.length} of ${total})` : ` (${total})`) : '';
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Box>
        <Text bold wrap="truncate-end">{`Users online${counts}`}</Text>
        {filter && (
          <Text wrap="truncate-end">
            <Text>{' · filter: '}</Text>
            <TextField value={filter.value} cursor={filter.cursor} focused={filter.editing} placeholder="type a name" width={20} />
          </Text>
        )}
      </Box>
      {status === 'unsupported' &&
        UNSUPPORTED.slice(0, rows).map((line, index) => (
          <Text key={index} color={index < 2 ? 'yellow' : undefined} wrap="truncate-end">
            {line}
          </Text>
        ))}
      {status === 'loading' && <Text dimColor>loading...</Text>}
      {status === 'ready' && users.length === 0 && <Text dimColor>{total === 0 ? 'nobody online' : 'nobody matches the filter'}</Text>}
      {status === 'ready' &&
        users.slice(window.start, window.end).map((user, offset) => {
          const index = window.start + offset;
          const mark = index === selected ? '›' : ' ';
          const you = user.name.toLowerCase() === self.toLowerCase() ? ' (you)' : '';
          return (
            <Text key={user.name} inverse={index === selected} wrap="truncate-end">
              {`${mark} ${user.name}${you}  ${user.ip}:${user.port}`}
            </Text>
          );
        })}
      {status === 'ready' && window.more > 0 && window.end - window.start < rows && <Text dimColor wrap="truncate-end">{`… ${window.more} more (↑↓ scroll, / filter)`}</Text>}
    </Box>
  );
}
