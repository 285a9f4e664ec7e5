/**
 * The one sentence that says how a call ended, written for the person at this end
 * (who hung up, who declined, a missed call), and the sentence for a call the phone
 * refused to place.
 */
import type { CallDirection, CallFailure, EndReason } from './phone-contract.js';

/** What the sentence is about. */
export interface EndTextInput {
  /** The other party, by their registered spelling. */
  readonly peer: string;
  readonly reason: EndReason;
  readonly direction: CallDirection;
  /** The phone's detail; only said for reasons it adds to ('error'). */
  readonly detail?: string;
  /** Set when the driver waited this long for the peer to come online (not-found). */
  readonly waitedMs?: number;
}

type Sentences = Record<CallDirection, (peer: string) => string>;

const SAME = (text: (peer: string) => string): Sentences => ({ outgoing: text, incoming: text });

const SENTENCES: Record<EndReason, Sentences> = {
  hangup: SAME((peer) => `you hung up the call with ${peer}`),
  'remote-hangup': SAME((peer) => `${peer} hung up`),
  // A classic peer answers REJECT when it is busy too: the caller cannot tell them apart.
  rejected: { outgoing: (peer) => `${peer} declined the call (or is busy)`, incoming: (peer) => `you declined ${peer}'s call` },
  cancelled: { outgoing: (peer) => `you cancelled the call to ${peer}`, incoming: (peer) => `missed call from ${peer}` },
  'ring-timeout': { outgoing: (peer) => `${peer} did not answer`, incoming: (peer) => `missed call from ${peer}` },
  'peer-silent': SAME((peer) => `no audio from ${peer} any more: the call was ended`),
  'not-found': SAME((peer) => `${peer} is not online`),
  'self-call': SAME(() => 'you cannot call yourself'),
  'directory-lost': {
    outgoing: (peer) => `the call to ${peer} was not placed: the directory connection is lost`,
    incoming: (peer) => `the call from ${peer} ended: the directory connection is lost`,
  },
  error: { outgoing: (peer) => `the call to ${peer} failed`, incoming: (peer) => `the call from ${peer} failed` },
  // Only --require-secure refuses classic calls: the sentence names the flag, the phone's detail never does.
  'not-secure': {
    outgoing: (peer) => `${peer}'s client cannot encrypt calls: call not placed (--require-secure)`,
    incoming: (peer) => `refused an unencrypted call from ${peer} (--require-secure)`,
  },
};

/** The sentence for an ended call or call attempt. */
export function endText(end: EndTextInput): string {
  if (end.reason === 'not-found' && end.waitedMs !== undefined) return `${end.peer} did not come online within ${formatSeconds(end.waitedMs)}`;
  const text = SENTENCES[end.reason][end.direction](end.peer);
  return end.reason === 'error' && end.detail ? `${text}: ${end.detail}` : text;
}

/** Whether an ended attempt reached anyone, and so belongs in the call history. */
export function reachedAnyone(reason: EndReason): boolean {
  return reason !== 'self-call' && reason !== 'not-found' && reason !== 'directory-lost';
}

/** The warning for a call the phone refused to place (busy, closed, ...). */
export function refusalText(name: string, failure: Extract<CallFailure, { kind: 'refused' }>): string {
  switch (failure.code) {
    case 'busy':
      return `cannot call ${name} now: finish the current call first`;
    case 'not-connected':
    case 'closed':
      return `cannot call ${name}: the directory connection is closed`;
    default:
      return failure.message.startsWith('cannot call') ? failure.message : `cannot call ${name}: ${failure.message}`;
  }
}

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  return `${s} s`;
}
