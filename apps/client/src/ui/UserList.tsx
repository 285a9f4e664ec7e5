import { Box, Text } from 'ink';
import type { UsersStatus } from '../app-state.js';
import type { DirectoryUser } from '../phone-contract.js';

/** Props of {@link UserList}. */
export interface UserListProps {
  readonly users: readonly DirectoryUser[];
  readonly status: UsersStatus;
  readonly selected: number;
  /** Our own name, marked "(you)". */
  readonly self: string;
}

/** The users online, the highlighted one marked; or why there is no list. */
export function UserList({ users, status, selected, self }: UserListProps) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1} minWidth={30}>
      <Text bold>Users online</Text>
      {status === 'unsupported' && (
        <>
          <Text color="yellow">user list unavailable:</Text>
          <Text color="yellow">this directory (a classic server)</Text>
          <Text color="yellow">offers no LIST/WATCH.</Text>
          <Text>Press c to call someone by name.</Text>
        </>
      )}
      {status === 'loading' && <Text dimColor>loading...</Text>}
      {status === 'ready' && users.length === 0 && <Text dimColor>nobody online</Text>}
      {status === 'ready' &&
        users.map((user, index) => {
          const mark = index === selected ? '›' : ' ';
          const you = user.name.toLowerCase() === self.toLowerCase() ? ' (you)' : '';
          return (
            <Text key={user.name} inverse={index === selected}>
              {`${mark} ${user.name}${you}  ${user.ip}:${user.port}`}
            </Text>
          );
        })}
    </Box>
  );
}
