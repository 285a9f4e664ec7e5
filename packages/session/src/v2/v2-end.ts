/** The v2 machine's transitions that connect a call and that end one (timers, media, the notices, the ended call kept to re-acknowledge). */
import type { MachineNotice } from '../call-machine-types.js';
import type { EndReason } from '../phone-types.js';
import { callTimer, settle } from './v2-send.js';
import type { V2Call, V2Config, V2Effect, V2MediaParams, V2State, V2Transition } from './v2-types.js';

/** An `emit` effect. */
export const emit = (notice: MachineNotice): V2Effect => ({ type: 'emit', notice });

/** A `log` notice effect. */
export const v2Log = (level: 'info' | 'warn' | 'error', message: string): V2Effect => emit({ name: 'log', level, message });

/** A `count` effect. */
export const count = (kind: 'rejected' | 'replayed', reason: string): V2Effect => ({ type: 'count', kind, reason });

/** True when the user sees the call (it rings, rings out or is connected); a callee's call is invisible until the caller's KEY checks out. */
export function visible(call: V2Call): boolean {
  if (call.stage === 'ended') return false;
  return call.role === 'caller' || call.stage === 'ringing' || call.stage === 'in-call' || call.autoAnswer === true;
}

/** How {@link endV2Call} ends a call. */
export interface V2EndOptions {
  readonly detail?: string;
  /** Keep the call's transactions that match (the final BYE, CANCEL or REJECT just sent). */
  readonly keep?: readonly number[];
  /** Tell the user (default: when the call was visible). */
  readonly notify?: boolean;
}

/** Ends the current call: timers and media stopped, its other transactions dropped, the call kept for `lingerMs`, the user told. */
export function endV2Call(config: V2Config, state: V2State, reason: EndReason, options: V2EndOptions = {}): V2Transition {
  const call = state.call;
  if (!call) return { state, effects: [] };
  const keep = options.keep ?? [];
  const settled = settle(state, call.callId, (t) => !keep.includes(t.messageId));
  const effects: V2Effect[] = [...settled.effects, { type: 'cancelTimer', id: callTimer('ring', call.callId) }, { type: 'cancelTimer', id: callTimer('silence', call.callId) }];
  if (call.stage === 'ringing') effects.push({ type: 'stopRinging' });
  if (call.stage === 'in-call') effects.push({ type: 'cancelTimer', id: 'stats' }, { type: 'stopMedia' });
  effects.push({ type: 'startTimer', id: callTimer('linger', call.callId), ms: config.lingerMs });
  if (options.notify ?? visible(call)) {
    const direction = call.role === 'caller' || call.autoAnswer ? 'outgoing' : 'incoming';
    effects.push(
      emit({ name: 'state', state: 'ended', peer: call.peer.name }),
      emit({ name: 'ended', peer: call.peer.name, reason, direction, ...(options.detail ? { detail: options.detail } : {}) }),
      emit({ name: 'state', state: 'idle' }),
    );
  } else if (options.detail) {
    effects.push(v2Log('info', `v2 call ${call.callId} from ${call.peer.name} dropped: ${options.detail}`));
  }
  const ended: V2Call = { ...call, stage: 'ended' };
  const { call: _gone, ...rest } = settled.state;
  return { state: { ...rest, recent: [...rest.recent.filter((c) => c.callId !== call.callId), ended] }, effects };
}

/** The media parameters of a connected call. */
export function mediaParams(call: V2Call): V2MediaParams {
  const { keys, format, media, peerSsrc } = call;
  if (!keys || !format || !media || peerSsrc === undefined) throw new Error('a v2 call connects only with keys, a format, both SSRCs');
  return {
    frameSamples: format.frameSize as 160 | 512,
    payloadType: format.payloadType,
    sendKey: keys.media.send,
    receiveKey: keys.media.receive,
    ssrc: media.ssrc,
    firstSequence: media.firstSequence,
    firstTimestamp: media.firstTimestamp,
    peerSsrc,
  };
}

/** Puts the current call in-call: media started, silence and stats timers, the connected notice with the SAS. `pre` effects come first. */
export function connectV2(config: V2Config, state: V2State, call: V2Call, pre: readonly V2Effect[]): V2Transition {
  const connected: V2Call = { ...call, stage: 'in-call' };
  return {
    state: { ...state, call: connected },
    effects: [
      ...pre,
      { type: 'cancelTimer', id: callTimer('ring', call.callId) },
      { type: 'startMedia', peer: call.peer.address, v2: mediaParams(connected) },
      { type: 'startTimer', id: callTimer('silence', call.callId), ms: config.silenceTimeoutMs },
      { type: 'startTimer', id: 'stats', ms: config.statsIntervalMs },
      emit({ name: 'connected', peer: call.peer.name, protocol: 'v2', secure: true, sas: call.keys?.sas ?? null }),
      emit({ name: 'state', state: 'in-call', peer: call.peer.name }),
    ],
  };
}
