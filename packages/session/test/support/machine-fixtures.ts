/** Test support: call machine fixtures (a config, addresses, machines in each phase) and readers of effect lists. */
import { callMachineConfig, createCallMachine, type CallMachine } from '../../src/call-machine-config.js';
import { transition } from '../../src/call-machine.js';
import type { Effect, MachineEvent, PeerAddress } from '../../src/call-machine-types.js';

/** Alice's machine config, with the classic timing spelled out. */
export const config = callMachineConfig('alice', { ringTimeoutMs: 30_000, silenceTimeoutMs: 5_000, repeatIntervalMs: 150, repeatCount: 7 });
/** Bob's directory address; `BOB_SOCKET` another port of his host; `CAROL` a third party. */
export const BOB: PeerAddress = { address: '10.0.0.2', port: 5002 };
export const BOB_SOCKET: PeerAddress = { address: '10.0.0.2', port: 40000 };
export const CAROL: PeerAddress = { address: '10.0.0.3', port: 5003 };
export const pcm = new Uint8Array(1024);

/** Runs events through a machine; returns the last machine and the last event's effects. */
export function run(machine: CallMachine, ...events: MachineEvent[]): { machine: CallMachine; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const event of events) {
    const result = transition(machine, event);
    machine = { config: result.config, state: result.state };
    effects = [...result.effects];
  }
  return { machine, effects };
}

/** Datagram and directory events. */
export const start = (from: PeerAddress, caller = 'bob'): MachineEvent => ({ type: 'signal', from, signal: { type: 'START', caller } });
export const sig = (from: PeerAddress, type: 'ACCEPT' | 'REJECT' | 'CLOSE'): MachineEvent => ({ type: 'signal', from, signal: { type } });
export const verified = (from: PeerAddress, caller = 'bob', ip = from.address, port = BOB.port): MachineEvent => ({
  type: 'caller-lookup-result',
  caller,
  from,
  result: { ok: true, user: { name: caller, ip, port } },
});
export const found = (attempt = 1, ip = BOB.address, port = BOB.port): MachineEvent => ({
  type: 'lookup-result',
  attempt,
  name: 'bob',
  result: { ok: true, user: { name: 'bob', ip, port } },
});

/** A machine in each phase. */
export const idle = createCallMachine(config);
export const dialing = run(idle, { type: 'user-call', name: 'bob' }).machine;
export const calling = run(dialing, found()).machine;
export const ringing = run(idle, start(BOB), verified(BOB)).machine;
export const inCallCallee = run(ringing, { type: 'user-accept' }).machine;
export const inCallCaller = run(calling, sig(BOB, 'ACCEPT')).machine;

export const states: Record<string, CallMachine> = { idle, dialing, calling, ringing, 'in-call (callee)': inCallCallee, 'in-call (caller)': inCallCaller };

/** Readers of an effect list: signals sent, the end reason, whether an effect type occurs. */
export function sends(effects: readonly Effect[]): string[] {
  return effects.flatMap((e) => (e.type === 'send' ? [`${e.signal.type}${e.signal.type === 'START' ? ` ${e.signal.caller}` : ''}>${e.to.address}:${e.to.port}`] : []));
}
export function ended(effects: readonly Effect[]): string | undefined {
  for (const e of effects) if (e.type === 'emit' && e.notice.name === 'ended') return e.notice.reason;
  return undefined;
}
export function has(effects: readonly Effect[], type: Effect['type']): boolean {
  return effects.some((e) => e.type === type);
}
