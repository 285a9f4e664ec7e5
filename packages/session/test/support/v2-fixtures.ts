/** Test support for the v2 machine: seeded randomness, two sides applying events, readers of effects (messages sent, notices, counts). */
import { createHash } from 'node:crypto';
import { peekV2SignalHeader, type RandomBytes } from '@voip/protocol/v2';
import type { MachineNotice, PeerAddress } from '../../src/call-machine-types.js';
import { initialV2State, v2Config } from '../../src/v2/v2-config.js';
import { v2Transition } from '../../src/v2/v2-machine.js';
import type { V2Config, V2Effect, V2Event, V2State } from '../../src/v2/v2-types.js';

/** A deterministic random source: SHA-256 of the seed and a counter. */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 32)
      out.set(
        createHash('sha256')
          .update(`${seed}:${counter++}`)
          .digest()
          .subarray(0, Math.min(32, length - i)),
        i,
      );
    return out;
  };
}

export const ALICE: PeerAddress = { address: '10.0.0.1', port: 5001 };
export const BOB: PeerAddress = { address: '10.0.0.2', port: 5002 };
export const CAROL: PeerAddress = { address: '10.0.0.3', port: 5003 };

/** One machine and everything it did. */
export class Side {
  state: V2State = initialV2State();
  readonly config: V2Config;
  /** Effects of the last event. */
  last: V2Effect[] = [];
  readonly all: V2Effect[] = [];

  constructor(
    name: string,
    readonly address: PeerAddress,
    seed = name,
    overrides: Partial<V2Config> = {},
  ) {
    this.config = v2Config(name, { random: seededRandom(seed), ...overrides });
  }

  apply(event: V2Event): V2Effect[] {
    const result = v2Transition(this.config, this.state, event);
    this.state = result.state;
    this.last = [...result.effects];
    this.all.push(...result.effects);
    return this.last;
  }

  /** Feeds each datagram the last event sent (to `to`, from `from`) into another side. */
  deliverTo(other: Side, effects: readonly V2Effect[] = this.last, from: PeerAddress = this.address): V2Effect[] {
    const out: V2Effect[] = [];
    for (const bytes of datagrams(effects)) out.push(...other.apply({ type: 'signal', from, bytes }));
    other.last = out;
    return out;
  }
}

/** The datagrams sent by `effects`. */
export function datagrams(effects: readonly V2Effect[]): Uint8Array[] {
  return effects.flatMap((e) => (e.type === 'send' ? [e.bytes] : []));
}

/** The messages sent, as `TYPE` or `TYPE*` when sealed. */
export function sent(effects: readonly V2Effect[]): string[] {
  return datagrams(effects).map((bytes) => {
    const header = peekV2SignalHeader(bytes);
    return header.ok ? `${header.value.type}${header.value.sealed ? '*' : ''}` : '?';
  });
}

/** The notices emitted. */
export function notices(effects: readonly V2Effect[]): MachineNotice[] {
  return effects.flatMap((e) => (e.type === 'emit' ? [e.notice] : []));
}

/** The end reason, if an `ended` notice was emitted. */
export function endedReason(effects: readonly V2Effect[]): string | undefined {
  for (const n of notices(effects)) if (n.name === 'ended') return n.reason;
  return undefined;
}

/** The counts, as `kind: reason`. */
export function counts(effects: readonly V2Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'count' ? [`${e.kind}: ${e.reason}`] : []));
}

/** Timers started, as `id=ms`. */
export function timers(effects: readonly V2Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'startTimer' ? [`${e.id.split(':')[0]}=${e.ms}`] : []));
}

/** Alice calls Bob up to the point given: 'offered' (Bob has OFFER), 'ringing' (Bob rings), 'connected'. */
export function setUp(until: 'offered' | 'verified' | 'ringing' | 'connected'): { alice: Side; bob: Side } {
  const alice = new Side('alice', ALICE);
  const bob = new Side('bob', BOB);
  alice.apply({ type: 'dial', name: 'bob', address: BOB });
  alice.deliverTo(bob);
  if (until === 'offered') return { alice, bob };
  bob.apply({ type: 'caller-lookup-result', callId: alice.state.call!.callId, from: ALICE, result: { ok: true, user: { name: 'alice', ip: ALICE.address, port: ALICE.port } } });
  if (until === 'verified') return { alice, bob };
  bob.deliverTo(alice); // RINGING
  alice.deliverTo(bob); // ACK, KEY
  bob.deliverTo(alice); // ACK of KEY
  if (until === 'ringing') return { alice, bob };
  bob.apply({ type: 'user-accept' });
  bob.deliverTo(alice); // ANSWER
  alice.deliverTo(bob); // ACK of ANSWER
  return { alice, bob };
}
