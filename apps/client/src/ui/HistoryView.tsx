/** The call history overlay (`l`): past calls, newest first. */
import { formatDuration, formatStart } from '../format.js';
import { wrapText } from '../layout.js';
import type { EndReason } from '../phone-contract.js';
import type { HistoryEntry } from '../phone-events.js';
import { Overlay } from './Overlay.js';

/** Props of {@link HistoryView}. */
export interface HistoryViewProps {
  readonly entries: readonly HistoryEntry[];
  readonly scroll: number;
  readonly height: number;
  /** Inner width, in cells. */
  readonly width: number;
}

const OUTCOME: Readonly<Record<EndReason, string>> = {
  hangup: 'ended',
  'remote-hangup': 'they hung up',
  rejected: 'rejected',
  cancelled: 'cancelled',
  'ring-timeout': 'no answer',
  'peer-silent': 'no audio',
  'not-found': 'not online',
  'self-call': 'own name',
  'directory-lost': 'directory lost',
  error: 'failed',
  'not-secure': 'refused: not encrypted',
};

/** One line (or more, when narrow) per call: direction, who, when, how long, how it ended, whether it was encrypted. */
export function historyLines(entries: readonly HistoryEntry[], width: number): string[] {
  if (entries.length === 0) return ['no calls yet'];
  return entries.flatMap((entry) => {
    const arrow = entry.direction === 'outgoing' ? '→' : '←';
    const outcome = entry.missed ? `MISSED (${OUTCOME[entry.outcome]})` : OUTCOME[entry.outcome];
    const security = entry.secure === undefined ? '' : entry.secure ? ' · 🔒 encrypted' : ' · not encrypted';
    return wrapText(`${arrow} ${entry.peer} · ${formatStart(entry.startedAt)} · ${formatDuration(entry.durationMs)} · ${outcome}${security}`, width, 2);
  });
}

/** The call history (`l`), newest first. */
export function HistoryView({ entries, scroll, height, width }: HistoryViewProps) {
  return <Overlay title={`Call history (${entries.length}) · → you called · ← they called · Esc back`} lines={historyLines(entries, width)} scroll={scroll} height={height} />;
}
