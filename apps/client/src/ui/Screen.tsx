/** The whole terminal frame for a state: its screen and the key-help line under it. */
import { Box, Text } from 'ink';
import type { AppState } from '../app-state.js';
import { keyHelp } from '../key-bindings.js';
import { ConnectForm } from './ConnectForm.js';
import { MainScreen } from './MainScreen.js';

/** Props of {@link Screen}. */
export interface ScreenProps {
  readonly state: AppState;
  /** Wall time for the ringing-out timer; the real clock when left out. */
  readonly now?: number;
}

/** The screen for the state (connect form or main screen) with its key-help line under it. */
export function Screen({ state, now }: ScreenProps) {
  return (
    <Box flexDirection="column">
      {state.screen === 'main' ? (
        <MainScreen state={state} {...(now !== undefined ? { now } : {})} />
      ) : (
        <ConnectForm form={state.form} connecting={state.screen === 'connecting'} />
      )}
      <Text dimColor wrap="truncate-end">
        {keyHelp(state)}
      </Text>
    </Box>
  );
}
