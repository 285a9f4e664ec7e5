/** Pure helpers of the call machine about peers: comparing addresses, who the peer of a phase is, signals to all its addresses. */
import type { CallPhase, Effect, MachineState, Peer, PeerAddress } from './call-machine-types.js';

/** True when two endpoints are the same. */
export function sameAddress(a: PeerAddress, b: PeerAddress): boolean {
  return a.address === b.address && a.port === b.port;
}

/** Every address a peer may send from: its directory address, then the other one, if any. */
export function addressesOf(peer: Peer): PeerAddress[] {
  return peer.alt ? [peer.address, peer.alt] : [peer.address];
}

/** True when `from` is one of the peer's addresses. */
export function isFrom(peer: Peer, from: PeerAddress): boolean {
  return addressesOf(peer).some((a) => sameAddress(a, from));
}

/** True while `from` is an address of a peer whose call ended less than `lingerMs` ago. */
export function isLingering(state: MachineState, from: PeerAddress): boolean {
  return state.lingering?.from.some((a) => sameAddress(a, from)) ?? false;
}

/** One `send` effect of `signal` to each address. */
export function sendAll(to: readonly PeerAddress[], signal: 'ACCEPT' | 'REJECT' | 'CLOSE'): Effect[] {
  return to.map((address) => ({ type: 'send', to: address, signal: { type: signal } }));
}

/** The other party of a phase that has one (calling, ringing, in a call). */
export function peerOf(phase: CallPhase): Peer | undefined {
  return phase.kind === 'calling' || phase.kind === 'ringing' || phase.kind === 'in-call' ? phase.peer : undefined;
}

/** The name of the other party of a phase, '' when idle. */
export function peerName(phase: CallPhase): string {
  if (phase.kind === 'dialing') return phase.peer;
  return peerOf(phase)?.name ?? '';
}
