/**
 * Keeps the driver's finished calls in the call history and reports it: a `history`
 * event once loaded and after each call that reached someone; a history that cannot
 * be read or saved is one `log` warning, not a failure of the call.
 */
import { reachedAnyone } from './end-text.js';
import type { CallHistory } from './history.js';
import type { PhoneEvents } from './phone-contract.js';
import type { PhoneEvent } from './phone-events.js';

/** What the phone driver does with its history. */
export interface HistoryRecorder {
  /** Loads the history and reports it (with a warning when it was set aside). */
  load(): Promise<void>;
  /**
   * Keeps a finished call, under the peer's registered spelling, when it reached
   * someone; `secure` says whether it was encrypted (undefined when it never connected).
   */
  record(end: PhoneEvents['ended'][0], peer: string, startedAt: Date, secure?: boolean): void;
  /** Settles once the last save has. */
  saved(): Promise<void>;
}

/** A recorder over `history`, or one that keeps nothing (--no-history). */
export function historyRecorder(history: CallHistory | undefined, emit: (event: PhoneEvent) => void): HistoryRecorder {
  let saving: Promise<void> = Promise.resolve();
  let failed = false;
  const warn = (message: string): void => emit({ event: 'log', level: 'warn', message });
  return {
    async load() {
      if (!history) return;
      const loaded = await history.load();
      if (loaded.warning !== undefined) warn(loaded.warning);
      emit({ event: 'history', entries: loaded.entries });
    },
    record(end, peer, startedAt, secure) {
      if (!history || !reachedAnyone(end.reason)) return;
      const missed = end.direction === 'incoming' && (end.reason === 'cancelled' || end.reason === 'ring-timeout');
      const entry = {
        peer,
        direction: end.direction,
        startedAt: startedAt.toISOString(),
        durationMs: Math.round(end.durationMs),
        outcome: end.reason,
        missed,
        ...(secure !== undefined ? { secure } : {}),
      };
      saving = history.add(entry).then(
        (entries) => emit({ event: 'history', entries }),
        (error: unknown) => {
          if (failed) return;
          failed = true;
          warn(`cannot save the call history: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    },
    saved: () => saving,
  };
}
