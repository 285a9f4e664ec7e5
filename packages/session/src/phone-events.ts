/** How the runner's notices become the phone's `connected` and `ended` events. */
import type { CallSummary } from './call-audio.js';
import type { MachineNotice } from './call-machine-types.js';
import type { CallEnd, PhoneEvents } from './phone-types.js';

/** The `connected` event: the classic machine's notice carries no protocol, so it is a classic call (not encrypted, no SAS). */
export function connectedEvent(notice: Extract<MachineNotice, { name: 'connected' }>): PhoneEvents['connected'][0] {
  if (notice.protocol === 'v2') return { peer: notice.peer, protocol: 'v2', secure: true, sas: notice.sas ?? null };
  return { peer: notice.peer, protocol: 'classic', secure: false, sas: null };
}

/** The `ended` event, with the call's duration and final figures when it connected. */
export function endedEvent(notice: Extract<MachineNotice, { name: 'ended' }>, summary: CallSummary | undefined): CallEnd {
  return {
    peer: notice.peer,
    reason: notice.reason,
    direction: notice.direction,
    durationMs: summary?.durationMs ?? 0,
    ...(summary ? { stats: summary.stats } : {}),
    ...(notice.detail === undefined ? {} : { detail: notice.detail }),
  };
}
