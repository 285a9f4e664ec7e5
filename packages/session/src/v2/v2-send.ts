/** Pure helpers of the v2 machine for sending: numbering, sealing, transactions with backoff, acknowledgements. */
import { encodeV2Signal, sealV2Signal, type V2Signal } from '@voip/protocol/v2';
import type { V2Call, V2Config, V2Effect, V2State, V2Transaction } from './v2-types.js';

/** A message without the fields the call fills in. */
export type Outgoing = V2Signal extends infer S ? (S extends V2Signal ? Omit<S, 'callId' | 'messageId'> : never) : never;

/** The timer id of a transaction's retransmissions. */
export const rtxTimer = (callId: string, messageId: number): string => `rtx:${callId}:${messageId}`;

/** A call's timers: ring, silence, linger. */
export const callTimer = (kind: 'ring' | 'silence' | 'linger', callId: string): string => `${kind}:${callId}`;

/** A state whose current call (or recent one, by id) is `call`. */
export function withCall(state: V2State, call: V2Call): V2State {
  if (state.call?.callId === call.callId) return { ...state, call };
  return { ...state, recent: state.recent.map((c) => (c.callId === call.callId ? call : c)) };
}

/** Encodes `message` as the call's next message: sealed when `sealed` (the call must hold keys), else in the clear. */
function encode(call: V2Call, message: Outgoing, sealed: boolean): { call: V2Call; bytes: Uint8Array; messageId: number } {
  const full = { ...message, callId: call.callId, messageId: call.nextId } as V2Signal;
  if (sealed && !call.keys) throw new Error(`cannot seal ${message.type}: the call has no keys`);
  const bytes = sealed ? sealV2Signal(call.keys!.signal.send, full) : encodeV2Signal(full);
  const clearIds = !sealed && message.type !== 'KEY' && message.type !== 'ACK' ? [...call.clearIds, call.nextId] : call.clearIds;
  return { call: { ...call, nextId: call.nextId + 1, clearIds }, bytes, messageId: call.nextId };
}

/** Sends `message` once, unacknowledged (an ACK). */
export function sendOnce(state: V2State, call: V2Call, message: Outgoing, sealed: boolean): { state: V2State; call: V2Call; effects: V2Effect[] } {
  const out = encode(call, message, sealed);
  return { state: withCall(state, out.call), call: out.call, effects: [{ type: 'send', to: call.peer.address, bytes: out.bytes }] };
}

/** Sends `message` as a transaction: retransmitted with backoff until acknowledged or `transactionTimeoutMs` passes. */
export function sendReliably(config: V2Config, state: V2State, call: V2Call, message: Outgoing, sealed: boolean): { state: V2State; call: V2Call; effects: V2Effect[] } {
  const out = encode(call, message, sealed);
  const armedMs = Math.min(config.retransmitFirstMs, config.transactionTimeoutMs);
  const txn: V2Transaction = {
    callId: call.callId,
    messageId: out.messageId,
    type: message.type,
    to: call.peer.address,
    bytes: out.bytes,
    armedMs,
    intervalMs: armedMs,
    elapsedMs: 0,
  };
  return {
    state: { ...withCall(state, out.call), transactions: [...state.transactions, txn] },
    call: out.call,
    effects: [
      { type: 'send', to: call.peer.address, bytes: out.bytes },
      { type: 'startTimer', id: rtxTimer(call.callId, out.messageId), ms: armedMs },
    ],
  };
}

/** Ends the call's transactions that match `which` (acknowledged, implied by a later message, or abandoned). */
export function settle(state: V2State, callId: string, which: (txn: V2Transaction) => boolean): { state: V2State; effects: V2Effect[] } {
  const done = state.transactions.filter((t) => t.callId === callId && which(t));
  if (done.length === 0) return { state, effects: [] };
  return {
    state: { ...state, transactions: state.transactions.filter((t) => !done.includes(t)) },
    effects: done.map((t) => ({ type: 'cancelTimer', id: rtxTimer(t.callId, t.messageId) })),
  };
}

/** A transaction's timer fired: resend with a doubled interval (capped), or report it timed out. */
export function retransmit(config: V2Config, state: V2State, txn: V2Transaction): { state: V2State; effects: V2Effect[]; timedOut: boolean } {
  const elapsedMs = txn.elapsedMs + txn.armedMs;
  const others = state.transactions.filter((t) => t !== txn);
  if (elapsedMs >= config.transactionTimeoutMs) return { state: { ...state, transactions: others }, effects: [], timedOut: true };
  const intervalMs = Math.min(txn.intervalMs * 2, config.retransmitMaxMs);
  const armedMs = Math.min(intervalMs, config.transactionTimeoutMs - elapsedMs);
  return {
    state: { ...state, transactions: [...others, { ...txn, elapsedMs, intervalMs, armedMs }] },
    effects: [
      { type: 'send', to: txn.to, bytes: txn.bytes },
      { type: 'startTimer', id: rtxTimer(txn.callId, txn.messageId), ms: armedMs },
    ],
    timedOut: false,
  };
}
