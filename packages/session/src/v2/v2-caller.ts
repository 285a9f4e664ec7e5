/** The caller's side of a v2 call: OFFER with a commitment, KEY on RINGING, then ANSWER, REJECT or BUSY, and BYE. */
import { commit, createCallId, createKeyPair, deriveCallKeys, randomMediaStart, type V2Signal } from '@voip/protocol/v2';
import type { PeerAddress } from '../call-machine-types.js';
import { connectV2, emit, endV2Call } from './v2-end.js';
import { callTimer, sendReliably, settle } from './v2-send.js';
import type { V2Call, V2Config, V2State, V2Transition } from './v2-types.js';

/** Places a call: a fresh call id, key pair and media start; OFFER (committing to our key) sent as a transaction; the ring timer. */
export function dial(config: V2Config, state: V2State, name: string, address: PeerAddress): V2Transition {
  const callId = createCallId(config.random);
  const own = createKeyPair(config.random);
  const media = randomMediaStart(config.random);
  const commitment = commit(own.publicKey, callId);
  const call: V2Call = {
    callId,
    role: 'caller',
    stage: 'offering',
    peer: { name, address },
    offer: { caller: config.selfName, callee: name, caps: config.caps, commitment },
    own,
    media,
    nextId: 1,
    seen: [],
    clearIds: [],
  };
  const sent = sendReliably(config, { ...state, call }, call, { type: 'OFFER', caller: config.selfName, callee: name, ssrc: media.ssrc, caps: config.caps, commitment }, false);
  return {
    state: sent.state,
    effects: [
      ...sent.effects,
      { type: 'startTimer', id: callTimer('ring', callId), ms: config.ringTimeoutMs },
      emit({ name: 'calling', peer: name, ip: address.address, port: address.port }),
      emit({ name: 'state', state: 'calling', peer: name }),
    ],
  };
}

/** True when the ANSWER's format is one we offered. */
function offered(call: V2Call, format: Extract<V2Signal, { type: 'ANSWER' }>['format']): boolean {
  if (format.frameSize !== 160 && format.frameSize !== 512) return false;
  return call.offer.caps.some(
    (f) =>
      f.codec === format.codec &&
      f.payloadType === format.payloadType &&
      f.clockRate === format.clockRate &&
      f.channels === format.channels &&
      f.frameSizes.includes(format.frameSize),
  );
}

/** The caller's handling of an authentic message from the callee. */
export function callerHandles(config: V2Config, state: V2State, call: V2Call, message: V2Signal): V2Transition | undefined {
  switch (message.type) {
    case 'RINGING': {
      if (call.stage !== 'offering' || !call.own) return undefined;
      const transcript = { callId: call.callId, ...call.offer, initiatorKey: call.own.publicKey, responderKey: message.publicKey };
      const keys = deriveCallKeys(call.own, 'initiator', transcript);
      if (!keys.ok) return undefined;
      const settled = settle(state, call.callId, (t) => t.type === 'OFFER');
      const keyed: V2Call = { ...call, stage: 'keyed', keys: keys.value };
      const sent = sendReliably(config, { ...settled.state, call: keyed }, keyed, { type: 'KEY', publicKey: call.own.publicKey }, false);
      return { state: sent.state, effects: [...settled.effects, ...sent.effects] };
    }
    case 'BUSY':
      if (call.stage !== 'offering') return undefined;
      return endV2Call(config, state, 'rejected', { detail: 'busy' });
    case 'ANSWER': {
      if (call.stage !== 'keyed') return undefined;
      const settled = settle(state, call.callId, () => true);
      if (!offered(call, message.format)) {
        const sent = sendReliably(config, settled.state, call, { type: 'BYE' }, true);
        const ended = endV2Call(config, sent.state, 'error', { detail: 'the callee chose a format we did not offer', keep: [sent.call.nextId - 1] });
        return { state: ended.state, effects: [...settled.effects, ...sent.effects, ...ended.effects] };
      }
      return connectV2(config, settled.state, { ...call, peerSsrc: message.ssrc, format: message.format }, settled.effects);
    }
    case 'REJECT':
      if (call.stage !== 'keyed') return undefined;
      return endV2Call(config, state, 'rejected');
    case 'BYE':
      if (call.stage !== 'in-call') return undefined;
      return endV2Call(config, state, 'remote-hangup');
    default:
      return undefined;
  }
}
