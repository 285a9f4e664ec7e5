/** The call status: state, peer, timer, whether the call is encrypted (with its SAS), microphone and volume, and in a call its figures. */
import { Box, Text } from 'ink';
import type { AudioView, CallSecurity, CallView } from '../app-state.js';
import { formatDuration, formatLevel, levelBar } from '../format.js';

/** Props of {@link StatusLine}. */
export interface StatusLineProps {
  readonly call: CallView;
  readonly audio: AudioView;
  /** Wall time, ms since the epoch: the timer while ringing out. */
  readonly now: number;
  /** Whether the packet figures and level meters fit. */
  readonly extra: boolean;
}

const STATE_COLOR: Readonly<Record<string, string>> = { 'in-call': 'green', ringing: 'yellow', calling: 'yellow', dialing: 'yellow' };

/** Lines the status always takes: two, and in a call the line that says whether it is encrypted. */
export function statusLines(call: CallView): number {
  return securityShown(call) ? 3 : 2;
}

function securityShown(call: CallView): call is CallView & { readonly security: CallSecurity } {
  return call.state === 'in-call' && call.security !== undefined;
}

/** The SAS first, so that a narrow terminal cuts the hint, never the SAS. */
function SecurityLine({ security }: { readonly security: CallSecurity }) {
  if (!security.secure) {
    return (
      <Text wrap="truncate-end" bold color="yellow">
        ⚠ not encrypted (classic call)
      </Text>
    );
  }
  const sas = security.sas !== null ? ` · SAS ${security.sas}` : '';
  return (
    <Text wrap="truncate-end">
      <Text bold color="green">{`🔒 encrypted${sas}`}</Text>
      {security.sas === null ? null : security.verified ? <Text color="green"> verified</Text> : <Text dimColor> · v: mark compared</Text>}
    </Text>
  );
}

/** Lines of figures and meters shown in a call when there is room. */
export function statusExtraLines(call: CallView): number {
  return call.state === 'in-call' ? 3 : 0;
}

/** The call's timer: time in the call, or since we started ringing out. */
export function callTimer(call: CallView, now: number): string | undefined {
  if (call.state === 'in-call') return formatDuration(call.stats?.durationMs ?? 0);
  if ((call.state === 'calling' || call.state === 'dialing') && call.since !== undefined) return formatDuration(now - call.since);
  return undefined;
}

/** State, peer and timer; mute and volume (and how the last call ended); figures and meters in a call. */
export function StatusLine({ call, audio, now, extra }: StatusLineProps) {
  const stats = call.stats;
  const timer = callTimer(call, now);
  const sound = `mic ${audio.muted ? 'MUTED' : 'on'} · vol ${audio.volume}%`;
  const last = call.state === 'idle' && call.lastEnd !== undefined ? ` · last call: ${call.lastEnd.message}` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text bold color={STATE_COLOR[call.state]}>
          {call.state}
        </Text>
        {call.peer !== undefined && call.state !== 'idle' ? <Text>{` · ${call.peer}`}</Text> : null}
        {timer !== undefined ? <Text>{` · ${timer}`}</Text> : null}
      </Text>
      {securityShown(call) && <SecurityLine security={call.security} />}
      <Text wrap="truncate-end">
        <Text color={audio.muted ? 'red' : undefined}>{sound}</Text>
        <Text dimColor>{last}</Text>
      </Text>
      {extra && call.state === 'in-call' && (
        <>
          <Text wrap="truncate-end">{`sent ${stats?.packetsSent ?? 0} · received ${stats?.packetsReceived ?? 0} · lost ${stats?.packetsLost ?? 0} · dropped ${stats?.packetsDropped ?? 0}`}</Text>
          <Text wrap="truncate-end">{`in  [${levelBar(stats?.inputLevelDbfs ?? -Infinity)}] ${formatLevel(stats?.inputLevelDbfs ?? -Infinity)}`}</Text>
          <Text wrap="truncate-end">{`out [${levelBar(stats?.outputLevelDbfs ?? -Infinity)}] ${formatLevel(stats?.outputLevelDbfs ?? -Infinity)}`}</Text>
        </>
      )}
    </Box>
  );
}
