/** The interpreter of the call machine: carries out its effects (timers, datagrams, look-ups, media, notices) and feeds events back. */
import { classifyClassicDatagram, encodeClassicSignal } from '@voip/protocol';
import type { TimerHandle } from '@voip/clock';
import { callMachineConfig, createCallMachine, type CallMachine } from './call-machine-config.js';
import { transition } from './call-machine.js';
import type { Effect, MachineEvent, PeerAddress, TimerId } from './call-machine-types.js';
import type { CallRunnerOptions, RunnerNotice } from './call-runner-ports.js';
import { PhoneError } from './errors.js';
import type { CallState } from './phone-types.js';

export type { CallRunnerOptions, DirectoryPort, MediaEffectsPort, RunnerNotice } from './call-runner-ports.js';

type Refusal = Extract<Effect, { type: 'refuse' }>;

/** Runs the call machine ({@link transition}) over a transport, a directory, a clock and the media: like xstate-fsm's `interpret`. */
export class CallRunner {
  #machine: CallMachine;
  readonly #options: CallRunnerOptions;
  readonly #timers = new Map<TimerId, TimerHandle>();
  readonly #queue: MachineEvent[] = [];
  #dispatching = false;
  #closed = false;
  #closingDone: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: CallRunnerOptions) {
    this.#machine = createCallMachine(callMachineConfig(options.name, options.timing));
    this.#options = options;
    options.transport.onMessage((bytes, from) => this.#onDatagram(bytes, from));
  }

  /** Where the call stands. */
  get state(): CallState {
    return this.#machine.state.phase.kind;
  }

  /** The name of the other party, if any. */
  get peer(): string | undefined {
    const phase = this.#machine.state.phase;
    if (phase.kind === 'idle') return undefined;
    return phase.kind === 'dialing' ? phase.peer : phase.peer.name;
  }

  /** Places a call. Throws PhoneError 'busy' unless idle; the outcome comes as notices. */
  call(name: string): void {
    this.#command({ type: 'user-call', name });
  }

  /** Accepts the ringing call; throws PhoneError 'invalid-state' when nothing rings. */
  accept(): void {
    this.#command({ type: 'user-accept' });
  }

  /** Rejects the ringing call; throws PhoneError 'invalid-state' when nothing rings. */
  reject(): void {
    this.#command({ type: 'user-reject' });
  }

  /** Ends the call or call attempt in progress; no-op when idle. */
  hangup(): void {
    this.#command({ type: 'user-hangup' });
  }

  /** Tells the machine the directory is gone: calls in progress go on, new ones fail. */
  directoryLost(): void {
    this.#dispatch({ type: 'directory-lost' });
  }

  /**
   * Hangs up, lets the CLOSE repeats go out (about a second), then stops the media and
   * all timers. Leaves the transport and the media's owner open. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // From here on a START is answered REJECT: nothing may ring once close() was called.
    this.#dispatch({ type: 'shutdown' });
    if (this.#machine.state.closing) await new Promise<void>((resolve) => (this.#closingDone = resolve));
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#options.clock.clearTimeout(handle);
    this.#timers.clear();
    this.#options.media.stop();
  }

  #command(event: MachineEvent): void {
    if (this.#closed || (this.#closing && event.type !== 'user-hangup')) throw new PhoneError('closed', 'the phone is closed');
    const refusal = this.#dispatch(event);
    if (refusal) throw new PhoneError(refusal.code, refusal.detail);
  }

  #onDatagram(bytes: Uint8Array, from: PeerAddress): void {
    if (this.#closed) return;
    const datagram = classifyClassicDatagram(bytes);
    if (datagram.kind === 'signal') this.#dispatch({ type: 'signal', from, signal: datagram.signal });
    else if (datagram.kind === 'audio') this.#dispatch({ type: 'audio', from, pcm: datagram.pcm });
    else this.#dispatch({ type: 'invalid-datagram', from, detail: datagram.detail });
  }

  /** Runs an event through the machine (after any it is running now); returns the refusal of a user command, if any. */
  #dispatch(event: MachineEvent): Refusal | undefined {
    if (this.#dispatching) {
      this.#queue.push(event); // a listener reacted to a notice: finish the current step first
      return undefined;
    }
    this.#dispatching = true;
    let refusal: Refusal | undefined;
    try {
      for (let next: MachineEvent | undefined = event; next; next = this.#queue.shift()) {
        const result = transition(this.#machine, next);
        this.#machine = { config: result.config, state: result.state };
        for (const effect of result.effects) {
          if (effect.type !== 'refuse') this.#run(effect);
          else if (next === event) refusal = effect;
          else this.#emit({ name: 'log', level: 'warn', message: effect.detail });
        }
      }
    } finally {
      this.#dispatching = false;
    }
    if (!this.#machine.state.closing && this.#closingDone) {
      const done = this.#closingDone;
      this.#closingDone = undefined;
      done();
    }
    return refusal;
  }

  #emit(notice: RunnerNotice): void {
    try {
      this.#options.onNotice?.(notice);
    } catch (error) {
      queueMicrotask(() => {
        throw error; // a listener's bug must not break the call machinery
      });
    }
  }

  #run(effect: Exclude<Effect, Refusal>): void {
    const { clock, media } = this.#options;
    switch (effect.type) {
      case 'send':
        return this.#send(encodeClassicSignal(effect.signal), effect.to);
      case 'startTimer': {
        clock.clearTimeout(this.#timers.get(effect.id));
        const handle = clock.setTimeout(() => {
          if (this.#timers.get(effect.id) !== handle) return;
          this.#timers.delete(effect.id);
          if (!this.#closed) this.#dispatch({ type: 'timer', id: effect.id });
        }, effect.ms);
        this.#timers.set(effect.id, handle);
        return;
      }
      case 'cancelTimer':
        clock.clearTimeout(this.#timers.get(effect.id));
        this.#timers.delete(effect.id);
        return;
      case 'lookup':
        return this.#lookup(effect.name, (result) => ({ type: 'lookup-result', attempt: effect.attempt, name: effect.name, result }));
      case 'lookupCaller':
        return this.#lookup(effect.caller, (result) => ({ type: 'caller-lookup-result', caller: effect.caller, from: effect.from, result }));
      case 'emit':
        return this.#emit(effect.notice);
      case 'startMedia': {
        const peer = effect.peer;
        const fail = (detail: string): void => {
          if (!this.#closed) this.#dispatch({ type: 'local-failure', detail });
        };
        return media.start(peer, (datagram) => this.#send(datagram, peer), fail);
      }
      case 'deliverAudio':
        return media.deliver(effect.pcm);
      case 'stopMedia':
        return media.stop();
      case 'drop':
        return media.drop();
      case 'startRinging':
        return media.startRinging();
      case 'stopRinging':
        return media.stopRinging();
      case 'reportStats': {
        const stats = media.stats();
        if (stats) this.#emit({ name: 'stats', stats });
        return;
      }
    }
  }

  #lookup(name: string, event: (result: LookupResult) => MachineEvent): void {
    this.#options.directory.lookup(name).then(
      (user) => this.#closed || this.#dispatch(event({ ok: true, user })),
      (error: unknown) => this.#closed || this.#dispatch(event(failure(error))),
    );
  }

  #send(bytes: Uint8Array, to: PeerAddress): void {
    try {
      this.#options.transport.send(bytes, to);
    } catch (error) {
      this.#emit({ name: 'log', level: 'error', message: `cannot send to ${to.address}:${to.port}: ${(error as Error).message}` });
    }
  }
}

type LookupResult = Extract<MachineEvent, { type: 'lookup-result' }>['result'];

function failure(error: unknown): LookupResult {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'error';
  return { ok: false, code, detail: error instanceof Error ? error.message : String(error) };
}
