/** How the v2 machine takes in a signalling datagram: find the call, check the source, open or decode, drop repeats, then act and acknowledge. */
import { decodeV2Signal, openV2Signal, peekV2SignalHeader, type V2Signal, type V2SignalHeader } from '@voip/protocol/v2';
import { sameAddress } from '../call-peers.js';
import type { PeerAddress } from '../call-machine-types.js';
import { count } from './v2-end.js';
import { sendOnce, settle, withCall } from './v2-send.js';
import type { V2Call, V2Config, V2State, V2Transition } from './v2-types.js';

/** How many of the peer's message ids a call remembers (a call exchanges about a dozen messages). */
const SEEN_LIMIT = 64;

/** Acts on one authentic (or allowed cleartext) message; undefined when it does not fit the call's stage (it is then dropped and counted). */
export type MessageHandler = (config: V2Config, state: V2State, call: V2Call, message: V2Signal) => V2Transition | undefined;

/** The call with this id: the current one or a recent one. */
export function findCall(state: V2State, callId: string): V2Call | undefined {
  return state.call?.callId === callId ? state.call : state.recent.find((c) => c.callId === callId);
}

/** Which messages may come in the clear (docs/v2-wire.md section 3): RINGING to the caller, KEY to the callee, BUSY to the caller, CANCEL to a callee without keys. */
function clearAllowed(call: V2Call, header: V2SignalHeader): boolean {
  switch (header.type) {
    case 'RINGING':
    case 'BUSY':
      return call.role === 'caller';
    case 'KEY':
      return call.role === 'callee';
    case 'CANCEL':
      return call.role === 'callee' && !call.keys;
    default:
      return false;
  }
}

const dropped = (state: V2State, reason: string): V2Transition => ({ state, effects: [count('rejected', reason)] });

/** Opens or decodes `bytes` for `call`, or says why it is refused. */
function read(call: V2Call, header: V2SignalHeader, bytes: Uint8Array): { ok: true; message: V2Signal } | { ok: false; reason: string } {
  if (header.sealed) {
    if (!call.keys) return { ok: false, reason: `sealed ${header.type} before the keys are agreed` };
    const opened = openV2Signal(call.keys.signal.receive, bytes);
    return opened.ok ? { ok: true, message: opened.value } : { ok: false, reason: opened.code };
  }
  if (header.type !== 'ACK' && !clearAllowed(call, header)) return { ok: false, reason: `${header.type} in the clear` };
  const decoded = decodeV2Signal(bytes);
  if (!decoded.ok) return { ok: false, reason: decoded.code };
  if (decoded.value.type === 'ACK' && !call.clearIds.includes(decoded.value.acknowledges)) return { ok: false, reason: 'ACK in the clear of a sealed message' };
  return { ok: true, message: decoded.value };
}

/** Acknowledges `header`'s message and marks it seen, on the call as it is after acting on it. */
function acknowledge(state: V2State, callId: string, header: V2SignalHeader): V2Transition {
  const call = findCall(state, callId)!;
  const seen = [...call.seen, header.messageId].slice(-SEEN_LIMIT);
  const marked = { ...call, seen };
  const sealed = header.sealed || header.type === 'KEY';
  const sent = sendOnce(withCall(state, marked), marked, { type: 'ACK', acknowledges: header.messageId }, sealed && marked.keys !== undefined);
  return { state: sent.state, effects: sent.effects };
}

/**
 * A signalling datagram other than a cleartext OFFER. Dropped and counted as rejected
 * when it names no call we know, comes from another address than the call's peer,
 * fails to open, is in the clear where it must be sealed, or does not fit the call's
 * stage; counted as replayed (and acknowledged again) when its id was already acted on.
 */
export function receiveSignal(config: V2Config, state: V2State, from: PeerAddress, bytes: Uint8Array, header: V2SignalHeader, handle: MessageHandler): V2Transition {
  const call = findCall(state, header.callId);
  if (!call) return dropped(state, `${header.type} for no call of ours`);
  if (!sameAddress(from, call.peer.address)) return dropped(state, `${header.type} from a third party (${from.address}:${from.port})`);
  const read_ = read(call, header, bytes);
  if (!read_.ok) return dropped(state, read_.reason);
  const message = read_.message;
  if (call.seen.includes(header.messageId)) {
    if (message.type === 'ACK') return { state, effects: [count('replayed', 'a repeated ACK')] };
    const again = acknowledge(state, call.callId, header);
    return { state: again.state, effects: [count('replayed', `a repeat of ${header.type} ${header.messageId}`), ...again.effects] };
  }
  if (message.type === 'ACK') {
    const marked = withCall(state, { ...call, seen: [...call.seen, header.messageId].slice(-SEEN_LIMIT) });
    return settle(marked, call.callId, (t) => t.messageId === message.acknowledges);
  }
  const acted = call.stage === 'ended' ? { state, effects: [] } : handle(config, state, call, message);
  if (!acted) return dropped(state, `${message.type} not expected while ${call.stage}`);
  const acked = acknowledge(acted.state, call.callId, header);
  return { state: acked.state, effects: [...acted.effects, ...acked.effects] };
}

/** Reads the header of a signalling datagram, or the rejection. */
export function peek(state: V2State, bytes: Uint8Array): { ok: true; header: V2SignalHeader } | { ok: false; result: V2Transition } {
  const header = peekV2SignalHeader(bytes);
  return header.ok ? { ok: true, header: header.value } : { ok: false, result: dropped(state, header.code) };
}
