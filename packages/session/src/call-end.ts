/** The call machine's transitions that connect a call and that end one (repeats of CLOSE, the linger window, the ended notice). */
import type { CallDirection, CallMachineConfig, CallPhase, Effect, Lingering, MachineState, Peer, Repeat, Transition } from './call-machine-types.js';
import { addressesOf, isFrom, peerName, peerOf, sendAll } from './call-peers.js';
import type { EndReason } from './phone-types.js';

/** A `log` notice effect. */
export function log(level: 'info' | 'warn' | 'error', message: string): Effect {
  return { type: 'emit', notice: { name: 'log', level, message } };
}

/** Stops repeats aimed at a peer we are about to talk to again (a late CLOSE would end the new call). */
export function clearRepeatsTo(state: MachineState, peer: Peer): { state: MachineState; effects: Effect[] } {
  const closing = state.closing;
  if (closing && closing.to.some((a) => isFrom(peer, a))) {
    return { state: { ...state, closing: undefined }, effects: [{ type: 'cancelTimer', id: 'close-repeat' }] };
  }
  return { state, effects: [] };
}

/** How {@link endCall} ends a call. */
export interface EndOptions {
  readonly detail?: string;
  /** Send CLOSE (repeated) to the peer. */
  readonly close?: boolean;
  /** Ignore (or re-reject) late STARTs from the peer for a while. */
  readonly linger?: 'ended' | 'rejected';
}

/** Ends whatever call is in progress and goes back to idle. */
export function endCall(config: CallMachineConfig, state: MachineState, reason: EndReason, options: EndOptions = {}): Transition {
  const phase = state.phase;
  const effects: Effect[] = [];
  const peer = peerOf(phase);
  let next: MachineState = { ...state, phase: { kind: 'idle' } };
  switch (phase.kind) {
    case 'calling':
      effects.push({ type: 'cancelTimer', id: 'start-repeat' }, { type: 'cancelTimer', id: 'ring' });
      break;
    case 'ringing':
      effects.push({ type: 'cancelTimer', id: 'ring' }, { type: 'stopRinging' });
      break;
    case 'in-call':
      effects.push({ type: 'cancelTimer', id: 'silence' }, { type: 'cancelTimer', id: 'stats' }, { type: 'stopMedia' });
      if (state.accepting) {
        effects.push({ type: 'cancelTimer', id: 'accept-repeat' });
        next = { ...next, accepting: undefined };
      }
      break;
    default:
      break;
  }
  if (peer && options.close) {
    const to = addressesOf(peer);
    effects.push(...sendAll(to, 'CLOSE'));
    if (config.repeatCount > 1) {
      const closing: Repeat = { signal: 'CLOSE', to, remaining: config.repeatCount - 1 };
      next = { ...next, closing };
      effects.push({ type: 'startTimer', id: 'close-repeat', ms: config.repeatIntervalMs });
    }
  }
  if (peer && options.linger) {
    const lingering: Lingering = { from: addressesOf(peer), rejected: options.linger === 'rejected' };
    next = { ...next, lingering };
    effects.push({ type: 'startTimer', id: 'linger', ms: config.lingerMs });
  }
  const name = peerName(phase);
  const direction = directionOf(phase);
  effects.push(
    { type: 'emit', notice: { name: 'state', state: 'ended', peer: name } },
    { type: 'emit', notice: { name: 'ended', peer: name, reason, direction, ...(options.detail ? { detail: options.detail } : {}) } },
    { type: 'emit', notice: { name: 'state', state: 'idle' } },
  );
  return { state: next, effects };
}

/** Who placed the call in progress. */
export function directionOf(phase: CallPhase): CallDirection {
  if (phase.kind === 'ringing') return 'incoming';
  if (phase.kind === 'in-call') return phase.role === 'callee' ? 'incoming' : 'outgoing';
  return 'outgoing';
}

/** A call attempt that never left idle (self-call, lost directory): the reason says it all. */
export function failAttempt(state: MachineState, peer: string, reason: EndReason): Transition {
  return { state, effects: [{ type: 'emit', notice: { name: 'ended', peer, reason, direction: 'outgoing' } }] };
}

/** Goes in-call with `peer`: starts the media, the silence and stats timers, and tells the outside. `pre` effects come first. */
export function connect(config: CallMachineConfig, state: MachineState, peer: Peer, role: 'caller' | 'callee', pre: Effect[]): Transition {
  return {
    state: { ...state, phase: { kind: 'in-call', peer, role } },
    effects: [
      ...pre,
      { type: 'startMedia', peer: peer.address },
      { type: 'startTimer', id: 'silence', ms: config.silenceTimeoutMs },
      { type: 'startTimer', id: 'stats', ms: config.statsIntervalMs },
      { type: 'emit', notice: { name: 'connected', peer: peer.name } },
      { type: 'emit', notice: { name: 'state', state: 'in-call', peer: peer.name } },
    ],
  };
}
