/** The call machine's handling of an incoming START: verified with the directory, then rung, refused as busy, or dropped as a repeat. */
import { nameKey } from '@voip/protocol';
import type { CallMachineConfig, MachineEvent, MachineState, Peer, PeerAddress, Transition } from './call-machine-types.js';
import { clearRepeatsTo, log } from './call-end.js';
import { isFrom, isLingering, peerOf, sameAddress } from './call-peers.js';

/** A START from `from` naming `caller`: ignored as ours or a repeat, refused (busy, closing), or looked up to be verified. */
export function onStart(config: CallMachineConfig, state: MachineState, from: PeerAddress, caller: string): Transition {
  const phase = state.phase;
  if (nameKey(caller) === nameKey(config.selfName)) {
    return { state, effects: [{ type: 'drop', reason: 'START naming this phone' }] };
  }
  const current = peerOf(phase);
  if (current && phase.kind !== 'calling' && isFrom(current, from) && nameKey(current.name) === nameKey(caller)) {
    return { state, effects: [] }; // a repeat of the call we ring for or are in
  }
  if (phase.kind !== 'idle' || state.elsewhere) {
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

/** The directory answered about a START's caller: ring when it vouches for the source IP, else ignore the source for a while. */
export function onCallerVerified(config: CallMachineConfig, state: MachineState, event: Extract<MachineEvent, { type: 'caller-lookup-result' }>): Transition {
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
  if (phase.kind !== 'idle' || next.elsewhere) {
    const current = peerOf(phase);
    if (current && isFrom(current, from)) return { state: next, effects: [] };
    return { state: next, effects: [{ type: 'send', to: from, signal: { type: 'REJECT' } }, log('info', `busy: refused a call from ${caller}`)] };
  }
  if (config.refuseClassic) {
    // Secure calls only: refused like a rejected call (repeats of the START get REJECT again during the linger window), never rung.
    return {
      state: { ...next, lingering: { from: [from], rejected: true } },
      effects: [
        { type: 'send', to: from, signal: { type: 'REJECT' } },
        { type: 'startTimer', id: 'linger', ms: config.lingerMs },
        {
          type: 'emit',
          notice: { name: 'ended', peer: caller, reason: 'not-secure', direction: 'incoming', detail: `${caller} has a classic client: the call would not be encrypted` },
        },
      ],
    };
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
