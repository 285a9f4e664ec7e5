import { Box, Text } from 'ink';
import { describeEnd, type CallView } from '../app-state.js';
import { formatDuration, formatLevel, levelBar } from '../format.js';

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  readonly call: CallView;
}

const STATE_COLOR: Readonly<Record<string, string>> = { 'in-call': 'green', ringing: 'yellow', calling: 'yellow', dialing: 'yellow' };

/** State, peer, call time, packet counts and level meters of the current call. */
export function StatusLine({ call }: StatusLineProps) {
  const stats = call.stats;
  const live = call.state === 'in-call';
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text>
        <Text bold color={STATE_COLOR[call.state]}>{call.state}</Text>
        {call.peer !== undefined && call.state !== 'idle' ? <Text>{` · ${call.peer}`}</Text> : null}
        {live ? <Text>{` · ${formatDuration(stats?.durationMs ?? 0)}`}</Text> : null}
      </Text>
      {live && (
        <>
          <Text>{`sent ${stats?.packetsSent ?? 0} · received ${stats?.packetsReceived ?? 0} · lost ${stats?.packetsLost ?? 0} · dropped ${stats?.packetsDropped ?? 0}`}</Text>
          <Text>{`in  [${levelBar(stats?.inputLevelDbfs ?? -Infinity)}] ${formatLevel(stats?.inputLevelDbfs ?? -Infinity)}`}</Text>
          <Text>{`out [${levelBar(stats?.outputLevelDbfs ?? -Infinity)}] ${formatLevel(stats?.outputLevelDbfs ?? -Infinity)}`}</Text>
        </>
      )}
      {!live && call.state === 'idle' && call.lastEnd !== undefined && <Text dimColor>{`last call: ${describeEnd(call.lastEnd)}`}</Text>}
    </Box>
  );
}
