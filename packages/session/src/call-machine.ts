/** The call state machine: `transition(machine, event)` returns the next state and the effects to carry out, and does no I/O. */
import { nameKey } from '@voip/protocol';
import type { CallMachineConfig, Effect, MachineEvent, MachineState, Peer, Transition } from './call-machine-types.js';
import type { CallMachine } from './call-machine-config.js';
import { clearRepeatsTo, connect, endCall, failAttempt, log } from './call-end.js';
import { onCallerVerified, onStart } from './call-incoming.js';
import { addressesOf, isFrom, isLingering, peerOf, sendAll } from './call-peers.js';

function onSignal(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: 'signal' }>): Transition {
  const { from, signal } = event;
  if (signal.type === 'START') return onStart(config, state, from, signal.caller);
  const phase = state.phase;
  const peer = peerOf(phase);
  if (!peer || !isFrom(peer, from)) return { state, effects: [{ type: 'drop', reason: `${signal.type} from a stranger` }] };
  switch (signal.type) {
    case 'ACCEPT':
      if (phase.kind === 'calling') {
        return connect(config, state, peer, 'caller', [
          { type: 'cancelTimer', id: 'start-repeat' },
          { type: 'cancelTimer', id: 'ring' },
        ]);
      }
      return { state, effects: [] }; // a repeat of the ACCEPT that connected us
    case 'REJECT':
      if (phase.kind === 'calling') return endCall(config, state, 'rejected');
      return { state, effects: [{ type: 'drop', reason: 'REJECT outside a call attempt' }] };
    case 'CLOSE':
      // Classic CLOSE carries no call id, so a repeat of the previous call's CLOSE looks
      // like a hang-up of this one (PROTOCOL.md section 2: CLOSE is repeated ~1 s).
      if (phase.kind === 'calling') {
        // Only a caller sends CLOSE before a call connects; the callee answers ACCEPT or REJECT.
        return { state, effects: [{ type: 'drop', reason: 'stale CLOSE while calling: a callee answers ACCEPT or REJECT' }] };
      }
      if (isLingering(state, from)) {
        // Trade-off: a real hang-up within the window is missed until its later repeats
        // arrive after the window, or else the peer-silence timeout ends the call.
        return { state, effects: [{ type: 'drop', reason: 'stale CLOSE: a repeat from the previous call with this peer' }] };
      }
      if (phase.kind === 'ringing') return endCall(config, state, 'cancelled', { linger: 'ended' });
      return endCall(config, state, 'remote-hangup', { linger: 'ended' });
  }
}

function onAudio(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: 'audio' }>): Transition {
  const phase = state.phase;
  const peer = peerOf(phase);
  if (!peer || !isFrom(peer, event.from)) return { state, effects: [{ type: 'drop', reason: 'audio from a stranger' }] };
  const deliver: Effect[] = [
    { type: 'deliverAudio', pcm: event.pcm },
    { type: 'startTimer', id: 'silence', ms: config.silenceTimeoutMs },
  ];
  if (phase.kind === 'in-call') return { state, effects: deliver };
  if (phase.kind === 'calling') {
    // A classic callee may have sent ACCEPTs that were all lost: its audio answers for them.
    const connected = connect(config, state, peer, 'caller', [
      { type: 'cancelTimer', id: 'start-repeat' },
      { type: 'cancelTimer', id: 'ring' },
    ]);
    return { state: connected.state, effects: [...connected.effects, ...deliver] };
  }
  return { state, effects: [{ type: 'drop', reason: 'audio before the call was accepted' }] };
}

function onRepeat(state: MachineState, key: 'accepting' | 'closing', id: 'accept-repeat' | 'close-repeat', intervalMs: number): Transition {
  const repeat = state[key];
  if (!repeat) return { state, effects: [] };
  const effects: Effect[] = sendAll(repeat.to, repeat.signal);
  const remaining = repeat.remaining - 1;
  if (remaining > 0) {
    effects.push({ type: 'startTimer', id, ms: intervalMs });
    return { state: { ...state, [key]: { ...repeat, remaining } }, effects };
  }
  return { state: { ...state, [key]: undefined }, effects };
}

function onTimer(config: CallMachineConfig, state: MachineState, id: Extract<MachineEvent, { type: 'timer' }>['id']): Transition {
  const phase = state.phase;
  switch (id) {
    case 'start-repeat':
      if (phase.kind !== 'calling') return { state, effects: [] };
      return {
        state,
        effects: [
          { type: 'send', to: phase.peer.address, signal: { type: 'START', caller: config.selfName } },
          { type: 'startTimer', id: 'start-repeat', ms: config.repeatIntervalMs },
        ],
      };
    case 'ring':
      if (phase.kind === 'calling') return endCall(config, state, 'ring-timeout', { close: true });
      if (phase.kind === 'ringing') return endCall(config, state, 'ring-timeout', { linger: 'ended' });
      return { state, effects: [] };
    case 'silence':
      if (phase.kind !== 'in-call') return { state, effects: [] };
      return endCall(config, state, 'peer-silent', { close: true, linger: 'ended', detail: `no audio for ${config.silenceTimeoutMs} ms` });
    case 'accept-repeat':
      return onRepeat(state, 'accepting', 'accept-repeat', config.repeatIntervalMs);
    case 'close-repeat':
      return onRepeat(state, 'closing', 'close-repeat', config.repeatIntervalMs);
    case 'linger':
      return { state: { ...state, lingering: undefined, unverified: undefined }, effects: [] };
    case 'stats':
      if (phase.kind !== 'in-call') return { state, effects: [] };
      return { state, effects: [{ type: 'reportStats' }, { type: 'startTimer', id: 'stats', ms: config.statsIntervalMs }] };
  }
}

function refuse(state: MachineState, code: 'busy' | 'invalid-state', detail: string): Transition {
  return { state, effects: [{ type: 'refuse', code, detail }] };
}

function onUser(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: `user-${string}` }>): Transition {
  const phase = state.phase;
  switch (event.type) {
    case 'user-call': {
      if (state.shuttingDown) return refuse(state, 'invalid-state', 'the phone is closing');
      if (phase.kind !== 'idle') return refuse(state, 'busy', `cannot call while ${phase.kind}`);
      if (state.elsewhere) return refuse(state, 'busy', 'cannot call during a v2 call');
      if (nameKey(event.name) === nameKey(config.selfName)) return failAttempt(state, event.name, 'self-call');
      if (state.directoryLost) return failAttempt(state, event.name, 'directory-lost');
      const attempt = state.attempts + 1;
      return {
        state: { ...state, attempts: attempt, phase: { kind: 'dialing', peer: event.name, attempt } },
        effects: [
          { type: 'lookup', name: event.name, attempt },
          { type: 'emit', notice: { name: 'state', state: 'dialing', peer: event.name } },
        ],
      };
    }
    case 'user-accept': {
      if (phase.kind !== 'ringing') return refuse(state, 'invalid-state', `no call to accept while ${phase.kind}`);
      const to = addressesOf(phase.peer);
      let next = state;
      const effects: Effect[] = [{ type: 'cancelTimer', id: 'ring' }, { type: 'stopRinging' }, ...sendAll(to, 'ACCEPT')];
      if (config.repeatCount > 1) {
        next = { ...next, accepting: { signal: 'ACCEPT', to, remaining: config.repeatCount - 1 } };
        effects.push({ type: 'startTimer', id: 'accept-repeat', ms: config.repeatIntervalMs });
      }
      return connect(config, next, phase.peer, 'callee', effects);
    }
    case 'user-reject': {
      if (phase.kind !== 'ringing') return refuse(state, 'invalid-state', `no call to reject while ${phase.kind}`);
      const ended = endCall(config, state, 'rejected', { linger: 'rejected' });
      return { state: ended.state, effects: [...sendAll(addressesOf(phase.peer), 'REJECT'), ...ended.effects] };
    }
    case 'user-hangup':
      switch (phase.kind) {
        case 'idle':
          return { state, effects: [] };
        case 'dialing':
          return endCall(config, state, 'cancelled');
        case 'calling':
          return endCall(config, state, 'cancelled', { close: true });
        case 'ringing': {
          const ended = endCall(config, state, 'rejected', { linger: 'rejected' });
          return { state: ended.state, effects: [...sendAll(addressesOf(phase.peer), 'REJECT'), ...ended.effects] };
        }
        case 'in-call':
          return endCall(config, state, 'hangup', { close: true, linger: 'ended' });
      }
  }
  return { state, effects: [] };
}

/**
 * The call state machine: a pure function of the state and one event, returning the
 * next state and the effects to carry out (PROTOCOL.md section 2, classic form).
 * It never does I/O and never reads the time; timers come back as `timer` events.
 */
export function transition(machine: CallMachine, event: MachineEvent): CallMachine & Transition {
  const { config, state } = machine;
  const result = step(config, state, event);
  return { config, state: result.state, effects: result.effects };
}

function step(config: CallMachineConfig, state: MachineState, event: MachineEvent): Transition {
  switch (event.type) {
    case 'user-call':
    case 'user-accept':
    case 'user-reject':
    case 'user-hangup':
      return onUser(config, state, event);
    case 'signal':
      return onSignal(config, state, event);
    case 'audio':
      return onAudio(config, state, event);
    case 'invalid-datagram':
      return { state, effects: [{ type: 'drop', reason: event.detail }] };
    case 'timer':
      return onTimer(config, state, event.id);
    case 'shutdown': {
      const ended = onUser(config, state, { type: 'user-hangup' });
      return { state: { ...ended.state, shuttingDown: true }, effects: ended.effects };
    }
    case 'directory-lost': {
      const next = { ...state, directoryLost: true };
      if (state.phase.kind === 'dialing') return endCall(config, next, 'directory-lost', { detail: 'it dropped during the look-up' });
      return { state: next, effects: [log('warn', 'the directory connection is lost: calls in progress go on, new calls cannot be placed')] };
    }
    case 'directory-restored':
      return { state: { ...state, directoryLost: false }, effects: [] };
    case 'lookup-result': {
      const phase = state.phase;
      if (phase.kind !== 'dialing' || phase.attempt !== event.attempt) return { state, effects: [] };
      const result = event.result;
      if (!result.ok) {
        const lost = result.code === 'connection-closed' || result.code === 'server-unreachable' || result.code === 'directory-lost';
        return endCall(config, state, lost ? 'directory-lost' : 'error', { detail: result.detail });
      }
      if (!result.user) return endCall(config, state, 'not-found');
      const peer: Peer = { name: phase.peer, address: { address: result.user.ip, port: result.user.port } };
      const cleared = clearRepeatsTo(state, peer);
      return {
        state: { ...cleared.state, phase: { kind: 'calling', peer, attempt: phase.attempt } },
        effects: [
          ...cleared.effects,
          { type: 'send', to: peer.address, signal: { type: 'START', caller: config.selfName } },
          { type: 'startTimer', id: 'start-repeat', ms: config.repeatIntervalMs },
          { type: 'startTimer', id: 'ring', ms: config.ringTimeoutMs },
          { type: 'emit', notice: { name: 'calling', peer: peer.name, ip: peer.address.address, port: peer.address.port } },
          { type: 'emit', notice: { name: 'state', state: 'calling', peer: peer.name } },
        ],
      };
    }
    case 'caller-lookup-result':
      return onCallerVerified(config, state, event);
    case 'elsewhere': {
      const { elsewhere: _was, ...rest } = state;
      return { state: event.busy ? { ...rest, elsewhere: true } : rest, effects: [] };
    }
    case 'handed-over': {
      const phase = state.phase;
      if (phase.kind !== 'dialing' || phase.attempt !== event.attempt) return { state, effects: [] };
      return { state: { ...state, phase: { kind: 'idle' } }, effects: [] };
    }
    case 'local-failure': {
      const kind = state.phase.kind;
      if (kind === 'idle') return { state, effects: [log('error', event.detail)] };
      return endCall(config, state, 'error', { detail: event.detail, close: kind === 'calling' || kind === 'in-call', linger: kind === 'ringing' ? 'rejected' : 'ended' });
    }
  }
}
