import { nameKey } from '@voip/protocol';
import { checkDurationMs } from '@voip/clock';
import type { CallDirection, CallMachineConfig, CallPhase, Effect, Lingering, MachineEvent, MachineState, Peer, PeerAddress, Repeat, Transition } from './call-machine-types.js';
import type { EndReason } from './phone-types.js';

/** What the linger window adds to the span of the CLOSE repeats, for network delay. */
const LINGER_MARGIN_MS = 500;

/**
 * Default tunables of the call machine (PROTOCOL.md section 2, classic form).
 * `lingerMs` is `repeatCount x repeatIntervalMs + 500`; {@link callMachineConfig}
 * recomputes it from the repeat settings unless it is given.
 */
export const DEFAULT_CALL_TIMING = Object.freeze({
  ringTimeoutMs: 30_000,
  silenceTimeoutMs: 5_000,
  repeatIntervalMs: 150,
  repeatCount: 7,
  lingerMs: 7 * 150 + LINGER_MARGIN_MS,
  statsIntervalMs: 1_000,
});

/** The machine's full state together with the config it runs under. */
export interface CallMachine {
  readonly config: CallMachineConfig;
  readonly state: MachineState;
}

/**
 * Builds a complete config from a name and optional overrides of {@link DEFAULT_CALL_TIMING}.
 * Unless `lingerMs` is given, it covers the whole span of the CLOSE repeats under the
 * resulting `repeatCount` and `repeatIntervalMs`, plus 500 ms.
 */
export function callMachineConfig(selfName: string, overrides: Partial<Omit<CallMachineConfig, 'selfName'>> = {}): CallMachineConfig {
  const given = stripUndefined(overrides);
  const merged = { ...DEFAULT_CALL_TIMING, ...given, selfName };
  const config = given.lingerMs === undefined ? { ...merged, lingerMs: merged.repeatCount * merged.repeatIntervalMs + LINGER_MARGIN_MS } : merged;
  for (const key of ['ringTimeoutMs', 'silenceTimeoutMs', 'repeatIntervalMs', 'lingerMs', 'statsIntervalMs'] as const) {
    const reason = checkDurationMs(config[key]);
    if (reason !== undefined) throw new RangeError(`${key} ${reason}`);
  }
  if (!Number.isInteger(config.repeatCount) || config.repeatCount < 1) throw new RangeError('repeatCount must be a positive integer');
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The state of a machine that waits for calls. */
export function initialMachineState(): MachineState {
  return { phase: { kind: 'idle' }, verifying: [], attempts: 0, directoryLost: false };
}

/** True when two endpoints are the same. */
export function sameAddress(a: PeerAddress, b: PeerAddress): boolean {
  return a.address === b.address && a.port === b.port;
}

function addressesOf(peer: Peer): PeerAddress[] {
  return peer.alt ? [peer.address, peer.alt] : [peer.address];
}

function isFrom(peer: Peer, from: PeerAddress): boolean {
  return addressesOf(peer).some((a) => sameAddress(a, from));
}

/** True while `from` is an address of a peer whose call ended less than `lingerMs` ago. */
function isLingering(state: MachineState, from: PeerAddress): boolean {
  return state.lingering?.from.some((a) => sameAddress(a, from)) ?? false;
}

function sendAll(to: readonly PeerAddress[], signal: 'ACCEPT' | 'REJECT' | 'CLOSE'): Effect[] {
  return to.map((address) => ({ type: 'send', to: address, signal: { type: signal } }));
}

function peerOf(phase: CallPhase): Peer | undefined {
  return phase.kind === 'calling' || phase.kind === 'ringing' || phase.kind === 'in-call' ? phase.peer : undefined;
}

function peerName(phase: CallPhase): string {
  if (phase.kind === 'dialing') return phase.peer;
  return peerOf(phase)?.name ?? '';
}

function log(level: 'info' | 'warn' | 'error', message: string): Effect {
  return { type: 'emit', notice: { name: 'log', level, message } };
}

/** Stops repeats aimed at a peer we are about to talk to again (a late CLOSE would end the new call). */
function clearRepeatsTo(state: MachineState, peer: Peer): { state: MachineState; effects: Effect[] } {
  const closing = state.closing;
  if (closing && closing.to.some((a) => isFrom(peer, a))) {
    return { state: { ...state, closing: undefined }, effects: [{ type: 'cancelTimer', id: 'close-repeat' }] };
  }
  return { state, effects: [] };
}

interface EndOptions {
  readonly detail?: string;
  /** Send CLOSE (repeated) to the peer. */
  readonly close?: boolean;
  /** Ignore (or re-reject) late STARTs from the peer for a while. */
  readonly linger?: 'ended' | 'rejected';
}

/** Ends whatever call is in progress and goes back to idle. */
function endCall(config: CallMachineConfig, state: MachineState, reason: EndReason, options: EndOptions = {}): Transition {
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
function directionOf(phase: CallPhase): CallDirection {
  if (phase.kind === 'ringing') return 'incoming';
  if (phase.kind === 'in-call') return phase.role === 'callee' ? 'incoming' : 'outgoing';
  return 'outgoing';
}

/** A call attempt that never left idle (self-call, lost directory): the reason says it all. */
function failAttempt(state: MachineState, peer: string, reason: EndReason): Transition {
  return { state, effects: [{ type: 'emit', notice: { name: 'ended', peer, reason, direction: 'outgoing' } }] };
}

function connect(config: CallMachineConfig, state: MachineState, peer: Peer, role: 'caller' | 'callee', pre: Effect[]): Transition {
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

function onStart(config: CallMachineConfig, state: MachineState, from: PeerAddress, caller: string): Transition {
  const phase = state.phase;
  if (nameKey(caller) === nameKey(config.selfName)) {
    return { state, effects: [{ type: 'drop', reason: 'START naming this phone' }] };
  }
  const current = peerOf(phase);
  if (current && phase.kind !== 'calling' && isFrom(current, from) && nameKey(current.name) === nameKey(caller)) {
    return { state, effects: [] }; // a repeat of the call we ring for or are in
  }
  if (phase.kind !== 'idle') {
    return { state, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }, log('info', `busy: refused a call from ${caller}`)] };
  }
  if (state.shuttingDown) {
    return { state, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }, log('info', `closing: refused a call from ${caller}`)] };
  }
  const lingering = state.lingering;
  if (lingering && isLingering(state, from)) {
    if (lingering.rejected) return { state, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }] };
    return { state, effects: [{ type: 'drop', reason: 'late START of a call that ended' }] };
  }
  if (state.unverified?.some((a) => sameAddress(a, from))) {
    return { state, effects: [{ type: 'drop', reason: 'repeated START the directory did not vouch for' }] };
  }
  if (state.verifying.some((v) => nameKey(v.caller) === nameKey(caller) && sameAddress(v.from, from))) {
    return { state, effects: [] }; // a repeat of a START being verified
  }
  return {
    state: { ...state, verifying: [...state.verifying, { caller, from }] },
    effects: [{ type: 'lookupCaller', caller, from }],
  };
}

function onCallerVerified(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: 'caller-lookup-result' }>): Transition {
  const { caller, from, result } = event;
  const index = state.verifying.findIndex((v) => nameKey(v.caller) === nameKey(caller) && sameAddress(v.from, from));
  if (index < 0) return { state, effects: [] };
  const verifying = state.verifying.filter((_, i) => i !== index);
  let next: MachineState = { ...state, verifying };
  // The caller repeats its START every few hundred ms: remember the source for a while,
  // so that the repeats neither query the directory again nor flood the log.
  const ignore = (message: string): Transition => ({
    state: { ...next, unverified: [...(next.unverified ?? []), from] },
    effects: [log('warn', message), { type: 'drop', reason: 'unverified START' }, { type: 'startTimer', id: 'linger', ms: config.lingerMs }],
  });
  if (!result.ok) return ignore(`call from ${caller} ignored: the directory could not vouch for it (${result.detail})`);
  const user = result.user;
  if (!user || user.ip !== from.address) {
    const said = user ? `${caller} is at ${user.ip}` : `${caller} is not online`;
    return ignore(`START claiming to be ${caller} from ${from.address} ignored: the directory says ${said}`);
  }
  const phase = next.phase;
  if (next.shuttingDown) {
    return { state: next, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }, log('info', `closing: refused a call from ${caller}`)] };
  }
  if (phase.kind !== 'idle') {
    const current = peerOf(phase);
    if (current && isFrom(current, from)) return { state: next, effects: [] };
    return { state: next, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }, log('info', `busy: refused a call from ${caller}`)] };
  }
  const address: PeerAddress = { address: user.ip, port: user.port };
  const peer: Peer = sameAddress(address, from) ? { name: caller, address } : { name: caller, address, alt: from };
  const cleared = clearRepeatsTo(next, peer);
  next = { ...cleared.state, phase: { kind: 'ringing', peer } };
  return {
    state: next,
    effects: [
      ...cleared.effects,
      { type: 'startTimer', id: 'ring', ms: config.ringTimeoutMs },
      { type: 'startRinging' },
      { type: 'emit', notice: { name: 'incoming', caller, ip: user.ip, port: user.port } },
      { type: 'emit', notice: { name: 'state', state: 'ringing', peer: caller } },
    ],
  };
}

function onSignal(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: 'signal' }>): Transition {
  const { from, signal } = event;
  if (signal.type === 'START') return onStart(config, state, from, signal.caller);
  const phase = state.phase;
  const peer = peerOf(phase);
  if (!peer || !isFrom(peer, from)) return { state, effects: [{ type: 'drop', reason: `${signal.type} from a stranger` }] };
  switch (signal.type) {
    case 'ACCEPT':
      if (phase.kind === 'calling') {
        return connect(config, state, peer, 'caller', [{ type: 'cancelTimer', id: 'start-repeat' }, { type: 'cancelTimer', id: 'ring' }]);
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
    const connected = connect(config, state, peer, 'caller', [{ type: 'cancelTimer', id: 'start-repeat' }, { type: 'cancelTimer', id: 'ring' }]);
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
      if (nameKey(event.name) === nameKey(config.selfName)) return failAttempt(state, event.name, 'self-call');
      if (state.directoryLost) return failAttempt(state, event.name, 'directory-lost');
      const attempt = state.attempts + 1;
      return {
        state: { ...state, attempts: attempt, phase: { kind: 'dialing', peer: event.name, attempt } },
        effects: [{ type: 'lookup', name: event.name, attempt }, { type: 'emit', notice: { name: 'state', state: 'dialing', peer: event.name } }],
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
    case 'local-failure': {
      const kind = state.phase.kind;
      if (kind === 'idle') return { state, effects: [log('error', event.detail)] };
      return endCall(config, state, 'error', { detail: event.detail, close: kind === 'calling' || kind === 'in-call', linger: kind === 'ringing' ? 'rejected' : 'ended' });
    }
  }
}

/** A machine in its initial state under the given config. */
export function createCallMachine(config: CallMachineConfig): CallMachine {
  return { config, state: initialMachineState() };
}
