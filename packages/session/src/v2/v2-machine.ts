/** The v2 call machine: `v2Transition(config, state, event)` returns the next state and the effects to carry out, and does no I/O (docs/v2-wire.md). */
import { sameAddress } from '../call-peers.js';
import type { EndReason } from '../phone-types.js';
import { callerHandles, dial } from './v2-caller.js';
import { answer, calleeHandles, onCallerLookup, onOffer } from './v2-callee.js';
import { count, emit, endV2Call, visible } from './v2-end.js';
import { peek, receiveSignal } from './v2-receive.js';
import { callTimer, retransmit, sendReliably, settle, type Outgoing } from './v2-send.js';
import type { V2Call, V2Config, V2Effect, V2Event, V2State, V2Transition } from './v2-types.js';

const nothing = (state: V2State): V2Transition => ({ state, effects: [] });

/** Ends the current call after sending `final` (if any) reliably. */
function endWith(config: V2Config, state: V2State, call: V2Call, final: Outgoing | undefined, sealed: boolean, reason: EndReason, detail?: string): V2Transition {
  if (!final) return endV2Call(config, state, reason, detail ? { detail } : {});
  const sent = sendReliably(config, state, call, final, sealed);
  const ended = endV2Call(config, sent.state, reason, { keep: [sent.call.nextId - 1], ...(detail ? { detail } : {}) });
  return { state: ended.state, effects: [...sent.effects, ...ended.effects] };
}

/** What our side says to leave the call now: CANCEL or BYE as the caller, REJECT or BYE as the callee; BUSY from a callee without keys. */
function leave(call: V2Call): { message: Outgoing | undefined; sealed: boolean } {
  if (call.stage === 'in-call') return { message: { type: 'BYE' }, sealed: true };
  if (call.role === 'caller') return { message: { type: 'CANCEL' }, sealed: call.keys !== undefined };
  if (call.stage === 'ringing') return { message: { type: 'REJECT' }, sealed: true };
  return { message: { type: 'BUSY' }, sealed: false };
}

function onUser(config: V2Config, state: V2State, type: 'user-accept' | 'user-reject' | 'user-hangup'): V2Transition {
  const call = state.call;
  if (type === 'user-accept') {
    if (!call || call.role !== 'callee' || call.stage !== 'ringing') return { state, effects: [{ type: 'refuse', code: 'invalid-state', detail: 'no v2 call to accept' }] };
    return answer(config, state, call);
  }
  if (type === 'user-reject') {
    if (!call || call.role !== 'callee' || call.stage !== 'ringing') return { state, effects: [{ type: 'refuse', code: 'invalid-state', detail: 'no v2 call to reject' }] };
    return endWith(config, state, call, { type: 'REJECT' }, true, 'rejected');
  }
  if (!call || !visible(call)) return nothing(state);
  const { message, sealed } = leave(call);
  const reason: EndReason = call.stage === 'in-call' ? 'hangup' : call.role === 'caller' || call.autoAnswer ? 'cancelled' : 'rejected';
  return endWith(config, state, call, message, sealed, reason);
}

function onTimer(config: V2Config, state: V2State, id: string): V2Transition {
  const [kind, callId, messageId] = id.split(':');
  const call = state.call?.callId === callId ? state.call : undefined;
  switch (kind) {
    case 'rtx': {
      const txn = state.transactions.find((t) => t.callId === callId && t.messageId === Number(messageId));
      if (!txn) return nothing(state);
      const next = retransmit(config, state, txn);
      if (!next.timedOut || !call) return { state: next.state, effects: next.effects };
      const detail = `no acknowledgement of ${txn.type} in ${config.transactionTimeoutMs} ms`;
      if (txn.type === 'OFFER' || txn.type === 'KEY' || txn.type === 'RINGING') return endV2Call(config, next.state, 'ring-timeout', { detail });
      if (txn.type === 'ANSWER') return endWith(config, next.state, call, { type: 'BYE' }, true, 'peer-silent', detail);
      return { state: next.state, effects: next.effects };
    }
    case 'ring': {
      if (!call || call.stage === 'in-call') return nothing(state);
      const { message, sealed } = leave(call);
      return endWith(config, state, call, message, sealed, 'ring-timeout');
    }
    case 'silence':
      if (!call || call.stage !== 'in-call') return nothing(state);
      return endWith(config, state, call, { type: 'BYE' }, true, 'peer-silent', `no media for ${config.silenceTimeoutMs} ms`);
    case 'stats':
      if (state.call?.stage !== 'in-call') return nothing(state);
      return { state, effects: [{ type: 'reportStats' }, { type: 'startTimer', id: 'stats', ms: config.statsIntervalMs }] };
    case 'linger':
      if (state.transactions.some((t) => t.callId === callId)) return { state, effects: [{ type: 'startTimer', id, ms: config.lingerMs }] };
      return { state: { ...state, recent: state.recent.filter((c) => c.callId !== callId) }, effects: [] };
    default:
      return nothing(state);
  }
}

/** A media datagram from the call's peer goes to the media, which alone can tell whether it is authentic. */
function onMedia(state: V2State, from: { address: string; port: number }, bytes: Uint8Array): V2Transition {
  const call = state.call;
  if (!call || call.stage !== 'in-call') return { state, effects: [count('rejected', 'media outside a v2 call')] };
  if (!sameAddress(from, call.peer.address)) return { state, effects: [count('rejected', `media from a third party (${from.address}:${from.port})`)] };
  return { state, effects: [{ type: 'deliverMedia', callId: call.callId, bytes }] };
}

/** Authentic media: the peer is there (the silence timer restarts) and, from the caller, has our ANSWER whether or not its ACK arrived. */
function onAuthenticMedia(config: V2Config, state: V2State, callId: string): V2Transition {
  const call = state.call;
  if (!call || call.callId !== callId || call.stage !== 'in-call') return nothing(state);
  const settled = call.role === 'callee' ? settle(state, call.callId, (t) => t.type === 'ANSWER') : { state, effects: [] as V2Effect[] };
  return { state: settled.state, effects: [...settled.effects, { type: 'startTimer', id: callTimer('silence', call.callId), ms: config.silenceTimeoutMs }] };
}

/**
 * The v2 call machine (docs/v2-wire.md): a pure function of the config, the state and
 * one event. Randomness comes from `config.random`; time only as `timer` events.
 */
export function v2Transition(config: V2Config, state: V2State, event: V2Event): V2Transition {
  switch (event.type) {
    case 'dial':
      if (state.call || state.elsewhere || state.shuttingDown) return { state, effects: [{ type: 'refuse', code: 'invalid-state', detail: 'a call is in progress' }] };
      return dial(config, state, event.name, event.address);
    case 'dial-not-secure':
      return {
        state,
        effects: [
          emit({ name: 'state', state: 'ended', peer: event.name }),
          emit({ name: 'ended', peer: event.name, reason: 'not-secure', direction: 'outgoing', detail: `${event.name} has a classic client: the call would not be encrypted` }),
          emit({ name: 'state', state: 'idle' }),
        ],
      };
    case 'user-accept':
    case 'user-reject':
    case 'user-hangup':
      return onUser(config, state, event.type);
    case 'signal': {
      const peeked = peek(state, event.bytes);
      if (!peeked.ok) return peeked.result;
      if (peeked.header.type === 'OFFER' && !peeked.header.sealed) return onOffer(config, state, event.from, event.bytes);
      return receiveSignal(config, state, event.from, event.bytes, peeked.header, (c, s, call, message) =>
        call.role === 'caller' ? callerHandles(c, s, call, message) : calleeHandles(c, s, call, message),
      );
    }
    case 'media':
      return onMedia(state, event.from, event.bytes);
    case 'media-authentic':
      return onAuthenticMedia(config, state, event.callId);
    case 'stray':
      return { state, effects: [count('rejected', `${event.detail} during a v2 call`)] };
    case 'caller-lookup-result':
      return onCallerLookup(config, state, event.callId, event.from, event.result);
    case 'timer':
      return onTimer(config, state, event.id);
    case 'elsewhere':
      return nothing({ ...state, elsewhere: event.busy });
    case 'shutdown': {
      const call = state.call;
      const closing: V2State = { ...state, shuttingDown: true };
      if (!call) return nothing(closing);
      const { message, sealed } = leave(call);
      return endWith(config, closing, call, message, sealed, call.stage === 'in-call' ? 'hangup' : 'cancelled');
    }
    case 'local-failure': {
      const call = state.call;
      if (!call) return nothing(state);
      const { message, sealed } = leave(call);
      return endWith(config, state, call, message, sealed, 'error', event.detail);
    }
  }
}
