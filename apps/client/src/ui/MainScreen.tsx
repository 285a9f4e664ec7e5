/** The main screen: title, call status, prompts, user list and log, laid out by `layout.ts`. */
import { Box, Text } from 'ink';
import { visibleUsers, type AppState } from '../app-state.js';
import { mainLayout, RESERVED_ROWS, wrapText } from '../layout.js';
import { callWhoHeight, CallWhoPrompt, IncomingPrompt, incomingPromptHeight } from './CallPrompts.js';
import { HelpOverlay } from './HelpOverlay.js';
import { HistoryView } from './HistoryView.js';
import { LogPane } from './LogPane.js';
import { statusExtraLines, statusLines, StatusLine } from './StatusLine.js';
import { UserList, userListRows } from './UserList.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Props of {@link MainScreen}. */
export interface MainScreenProps {
  readonly state: AppState;
  /** Wall time for the ringing-out timer; the real clock, ticking, when left out. */
  readonly now?: number;
}

/** Border and padding of a box, left and right. */
const BOX_SIDES = 4;

/**
 * Users online, the call's status, prompts and the log, laid out to fit the
 * terminal: title, status and any prompt always shown, the lists sized to what is left.
 */
export function MainScreen({ state, now }: MainScreenProps) {
  const size = useTerminalSize();
  const ringingOut = state.call.state === 'calling' || state.call.state === 'dialing';
  const ticking = useNow(ringingOut && now === undefined);
  const inner = Math.max(1, size.columns - BOX_SIDES);
  const session = state.session;
  const banner =
    state.directoryLost !== undefined
      ? wrapText(`✗ ${state.directoryLost}: back to the connect form when this call ends`, size.columns, 2)
      : state.failover !== undefined
        ? wrapText(`⟳ ${state.failover}`, size.columns, 2)
        : [];
  const bannerColor = state.directoryLost !== undefined ? 'red' : 'yellow';
  const confirm = state.confirmQuit
    ? wrapText(`Quit now and hang up${state.call.peer !== undefined ? ` the call with ${state.call.peer}` : ''}? y quits, any other key stays`, size.columns, 2)
    : [];
  const incoming = state.call.incoming ? { ...state.call.incoming, width: inner } : undefined;
  const prompt = state.prompt
    ? { value: state.prompt.value, cursor: state.prompt.cursor, width: inner, ...(state.prompt.error !== undefined ? { error: state.prompt.error } : {}) }
    : undefined;
  const fixed = 1 + banner.length + statusLines(state.call) + confirm.length + (incoming ? incomingPromptHeight(incoming) : 0) + (prompt ? callWhoHeight(prompt) : 0);
  const users = visibleUsers(state);
  const layout = mainLayout({ rows: size.rows, fixed, extra: statusExtraLines(state.call), userRows: userListRows(state.usersStatus, users.length), logLines: state.log.length });
  const overlayHeight = Math.max(3, size.rows - RESERVED_ROWS - fixed);
  return (
    <Box flexDirection="column" width={size.columns}>
      <Text bold wrap="truncate-end">
        {session ? `voip · ${session.name} @ ${session.server} · UDP ${session.udpPort}` : 'voip'}
      </Text>
      {banner.map((line, index) => (
        <Text key={index} color={bannerColor} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <StatusLine call={state.call} audio={state.audio} now={now ?? ticking} extra={layout.extra > 0} />
      {confirm.map((line, index) => (
        <Text key={index} bold color="yellow" wrap="truncate-end">
          {line}
        </Text>
      ))}
      {incoming && <IncomingPrompt {...incoming} />}
      {prompt && <CallWhoPrompt {...prompt} />}
      {state.view === 'help' && <HelpOverlay scroll={state.overlayScroll} height={overlayHeight} width={inner} />}
      {state.view === 'history' && <HistoryView entries={state.history} scroll={state.overlayScroll} height={overlayHeight} width={inner} />}
      {state.view === 'main' && layout.users > 0 && (
        <UserList
          users={users}
          total={state.users.length}
          status={state.usersStatus}
          selected={state.selected}
          self={session?.name ?? ''}
          rows={layout.userRows}
          {...(state.filter ? { filter: state.filter } : {})}
        />
      )}
      {state.view === 'main' && layout.log > 0 && <LogPane lines={state.log} height={layout.logLines} width={inner} scroll={state.logScroll} />}
    </Box>
  );
}
