/** The callee's side of a v2 call: an OFFER acknowledged (or answered BUSY, or won by glare), the caller vouched for, RINGING, the KEY checked against the commitment, then ringing and ANSWER. */
import { nameKey } from '@voip/protocol';
import { createKeyPair, decodeV2Signal, deriveCallKeys, negotiateFormat, randomMediaStart, verifyCommitment, type V2Signal } from '@voip/protocol/v2';
import type { PeerAddress } from '../call-machine-types.js';
import { sameAddress } from '../call-peers.js';
import { connectV2, count, emit, endV2Call, v2Log } from './v2-end.js';
import { findCall } from './v2-receive.js';
import { callTimer, sendOnce, sendReliably, settle } from './v2-send.js';
import type { LookupOutcome, V2Call, V2Config, V2State, V2Transition } from './v2-types.js';

type Offer = Extract<V2Signal, { type: 'OFFER' }>;

/** Answers BUSY at once (its own answer, retransmitted until acknowledged); the OFFER is kept to recognise its repeats. */
function answerBusy(config: V2Config, state: V2State, offer: Offer, from: PeerAddress, why: string): V2Transition {
  const record: V2Call = {
    callId: offer.callId,
    role: 'callee',
    stage: 'ended',
    peer: { name: offer.caller, address: from },
    offer: { caller: offer.caller, callee: offer.callee, caps: offer.caps, commitment: offer.commitment },
    nextId: 1,
    seen: [offer.messageId],
    clearIds: [],
  };
  const sent = sendReliably(config, { ...state, recent: [...state.recent, record] }, record, { type: 'BUSY' }, false);
  return {
    state: sent.state,
    effects: [
      ...sent.effects,
      { type: 'startTimer', id: callTimer('linger', offer.callId), ms: config.lingerMs },
      v2Log('info', `${why}: answered BUSY to a call from ${offer.caller}`),
    ],
  };
}

/** Takes the OFFER: acknowledged, a key pair and media start drawn, the caller's address checked with the directory. */
function takeOffer(config: V2Config, state: V2State, offer: Offer, from: PeerAddress, autoAnswer: boolean): V2Transition {
  const call: V2Call = {
    callId: offer.callId,
    role: 'callee',
    stage: 'verifying',
    peer: { name: offer.caller, address: from },
    offer: { caller: offer.caller, callee: offer.callee, caps: offer.caps, commitment: offer.commitment },
    own: createKeyPair(config.random),
    media: randomMediaStart(config.random),
    peerSsrc: offer.ssrc,
    nextId: 1,
    seen: [offer.messageId],
    clearIds: [],
    ...(autoAnswer ? { autoAnswer: true as const } : {}),
  };
  const acked = sendOnce({ ...state, call }, call, { type: 'ACK', acknowledges: offer.messageId }, false);
  return { state: acked.state, effects: [...acked.effects, { type: 'lookupCaller', callId: call.callId, caller: offer.caller, from }] };
}

/**
 * A cleartext OFFER. Repeats are acknowledged again; one for another name, or naming
 * us as the caller, is dropped. Glare (the peer we are calling calls us): the call with
 * the higher call id wins, so we drop our own and become its callee, answering at once.
 * Busy, or closing: BUSY. Else the call is taken.
 */
export function onOffer(config: V2Config, state: V2State, from: PeerAddress, bytes: Uint8Array): V2Transition {
  const decoded = decodeV2Signal(bytes);
  if (!decoded.ok || decoded.value.type !== 'OFFER') return { state, effects: [count('rejected', decoded.ok ? 'not an OFFER' : decoded.code)] };
  const offer = decoded.value;
  if (nameKey(offer.callee) !== nameKey(config.selfName)) return { state, effects: [count('rejected', `OFFER for ${offer.callee}`)] };
  if (nameKey(offer.caller) === nameKey(config.selfName)) return { state, effects: [count('rejected', 'OFFER naming this phone as the caller')] };
  const known = findCall(state, offer.callId);
  if (known) {
    if (!sameAddress(known.peer.address, from) || !known.seen.includes(offer.messageId)) return { state, effects: [count('rejected', 'OFFER reusing a call id')] };
    if (known.stage === 'ended' || known.role !== 'callee') return { state, effects: [count('replayed', 'a repeat of an OFFER answered')] };
    const again = sendOnce(state, known, { type: 'ACK', acknowledges: offer.messageId }, false);
    return { state: again.state, effects: [count('replayed', 'a repeat of the OFFER'), ...again.effects] };
  }
  const current = state.call;
  if (current && current.role === 'caller' && (current.stage === 'offering' || current.stage === 'keyed')) {
    if (nameKey(current.peer.name) === nameKey(offer.caller) && sameAddress(current.peer.address, from)) {
      if (offer.callId < current.callId) return { state, effects: [v2Log('info', `glare with ${offer.caller}: our call ${current.callId} wins over ${offer.callId}`)] };
      const dropped = endV2Call(config, state, 'cancelled', { notify: false });
      const taken = takeOffer(config, dropped.state, offer, from, true);
      return { state: taken.state, effects: [...dropped.effects, v2Log('info', `glare with ${offer.caller}: its call ${offer.callId} wins, ours is dropped`), ...taken.effects] };
    }
  }
  if (current) return answerBusy(config, state, offer, from, 'busy');
  if (state.elsewhere) return answerBusy(config, state, offer, from, 'in a classic call');
  if (state.shuttingDown) return answerBusy(config, state, offer, from, 'closing');
  return takeOffer(config, state, offer, from, false);
}

/** The directory answered about an OFFER's caller: RINGING (with our public key) when it vouches for the source address, else the call is dropped unseen. */
export function onCallerLookup(config: V2Config, state: V2State, callId: string, from: PeerAddress, result: LookupOutcome): V2Transition {
  const call = state.call;
  if (!call || call.callId !== callId || call.stage !== 'verifying' || !call.own) return { state, effects: [] };
  if (!result.ok || !result.user || result.user.ip !== from.address) {
    const said = !result.ok ? result.detail : result.user ? `${call.peer.name} is at ${result.user.ip}` : `${call.peer.name} is not online`;
    return endV2Call(config, state, 'error', { detail: `the directory does not vouch for ${from.address} (${said})` });
  }
  const sent = sendReliably(
    config,
    { ...state, call: { ...call, stage: 'awaiting-key' } },
    { ...call, stage: 'awaiting-key' },
    { type: 'RINGING', publicKey: call.own.publicKey },
    false,
  );
  return { state: sent.state, effects: sent.effects };
}

/** Answers the ringing call: ANSWER (sealed, with our SSRC and the chosen format) and the media starts. */
export function answer(config: V2Config, state: V2State, call: V2Call): V2Transition {
  const sent = sendReliably(config, state, call, { type: 'ANSWER', ssrc: call.media!.ssrc, format: call.format! }, true);
  const pre = call.stage === 'ringing' ? [{ type: 'stopRinging' } as const] : [];
  return connectV2(config, sent.state, sent.call, [...pre, ...sent.effects]);
}

/** The callee's handling of an authentic (or allowed cleartext) message from the caller. */
export function calleeHandles(config: V2Config, state: V2State, call: V2Call, message: V2Signal): V2Transition | undefined {
  switch (message.type) {
    case 'KEY': {
      if (call.stage !== 'awaiting-key' || !call.own) return undefined;
      if (!verifyCommitment(call.offer.commitment, message.publicKey, call.callId).ok) return undefined;
      const transcript = { callId: call.callId, ...call.offer, initiatorKey: message.publicKey, responderKey: call.own.publicKey };
      const keys = deriveCallKeys(call.own, 'responder', transcript);
      if (!keys.ok) return undefined;
      const settled = settle(state, call.callId, (t) => t.type === 'RINGING');
      const format = negotiateFormat(call.offer.caps, config.caps);
      const keyed: V2Call = { ...call, keys: keys.value, ...(format ? { format } : {}) };
      if (!format || (format.frameSize !== 160 && format.frameSize !== 512)) {
        const sent = sendReliably(config, { ...settled.state, call: keyed }, keyed, { type: 'REJECT' }, true);
        const ended = endV2Call(config, sent.state, 'error', { detail: 'no media format in common', keep: [sent.call.nextId - 1] });
        return { state: ended.state, effects: [...settled.effects, ...sent.effects, ...ended.effects] };
      }
      if (call.autoAnswer) {
        const answered = answer(config, { ...settled.state, call: keyed }, keyed);
        return { state: answered.state, effects: [...settled.effects, ...answered.effects] };
      }
      return {
        state: { ...settled.state, call: { ...keyed, stage: 'ringing' } },
        effects: [
          ...settled.effects,
          { type: 'startTimer', id: callTimer('ring', call.callId), ms: config.ringTimeoutMs },
          { type: 'startRinging' },
          emit({ name: 'incoming', caller: call.peer.name, ip: call.peer.address.address, port: call.peer.address.port }),
          emit({ name: 'state', state: 'ringing', peer: call.peer.name }),
        ],
      };
    }
    case 'CANCEL':
      if (call.stage === 'in-call') return undefined;
      return endV2Call(config, state, 'cancelled');
    case 'BYE':
      if (call.stage !== 'in-call') return undefined;
      return endV2Call(config, state, 'remote-hangup');
    default:
      return undefined;
  }
}
