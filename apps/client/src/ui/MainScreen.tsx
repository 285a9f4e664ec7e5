import { Box, Text } from 'ink';
import type { AppState } from '../app-state.js';
import { CallWhoPrompt, IncomingPrompt } from './CallPrompts.js';
import { LogPane } from './LogPane.js';
import { StatusLine } from './StatusLine.js';
import { UserList } from './UserList.js';

/** Props of {@link MainScreen}. */
export interface MainScreenProps {
  readonly state: AppState;
}

/** Users online, the call's status, prompts and the log. */
export function MainScreen({ state }: MainScreenProps) {
  const session = state.session;
  return (
    <Box flexDirection="column">
      <Text bold>{session ? `voip · ${session.name} @ ${session.server} · UDP ${session.udpPort}` : 'voip'}</Text>
      {state.directoryLost !== undefined && <Text color="red">{`✗ ${state.directoryLost}: back to the connect form when this call ends`}</Text>}
      <Box>
        <UserList users={state.users} status={state.usersStatus} selected={state.selected} self={session?.name ?? ''} />
        <Box flexDirection="column" flexGrow={1}>
          <StatusLine call={state.call} />
          {state.call.incoming && <IncomingPrompt caller={state.call.incoming.caller} ip={state.call.incoming.ip} port={state.call.incoming.port} />}
          {state.prompt && <CallWhoPrompt value={state.prompt.value} {...(state.prompt.error !== undefined ? { error: state.prompt.error } : {})} />}
        </Box>
      </Box>
      <LogPane lines={state.log} />
    </Box>
  );
}
