/** The interpreter of the call machine: carries out its effects (timers, datagrams, look-ups, media, notices) and feeds events back. */
import { classifyClassicDatagram, encodeClassicSignal } from '@voip/protocol';
import { classifyV2Datagram, systemRandom } from '@voip/protocol/v2';
import type { TimerHandle } from '@voip/clock';
import { callForm, type SecureMode } from './call-form.js';
import { callMachineConfig, createCallMachine, type CallMachine } from './call-machine-config.js';
import { transition } from './call-machine.js';
import type { Effect, MachineEvent, PeerAddress, TimerId } from './call-machine-types.js';
import type { CallRunnerOptions, RunnerNotice } from './call-runner-ports.js';
import { PhoneError } from './errors.js';
import type { CallState } from './phone-types.js';
import { v2Config } from './v2/v2-config.js';
import { V2Driver } from './v2/v2-driver.js';

export type { CallRunnerOptions, DirectoryPort, MediaEffectsPort, RunnerNotice } from './call-runner-ports.js';

type Refusal = Extract<Effect, { type: 'refuse' }>;

/**
 * How long closing waits for the acknowledgement of a v2 call's BYE (sent at once,
 * resent after 100, 200, 400 and 800 ms): a peer that is gone would otherwise keep the
 * user waiting for the whole 8 s transaction timeout. The peer that missed every BYE
 * ends the call by its silence timeout.
 */
export const CLOSE_BYE_WAIT_MS = 1_000;

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
  readonly #secure: SecureMode;
  /** The v2 calls (docs/v2-wire.md), beside the classic machine; at most one call in either. */
  readonly #v2: V2Driver;
  /** What each machine last heard about the other being busy. */
  #told = { classic: false, v2: false };

  constructor(options: CallRunnerOptions) {
    this.#secure = options.secure ?? 'prefer';
    const refuseClassic = this.#secure === 'require' ? { refuseClassic: true } : {};
    this.#machine = createCallMachine(callMachineConfig(options.name, { ...options.timing, ...refuseClassic }));
    this.#options = options;
    const { ringTimeoutMs, silenceTimeoutMs, statsIntervalMs } = options.timing ?? {};
    this.#v2 = new V2Driver(v2Config(options.name, { ringTimeoutMs, silenceTimeoutMs, statsIntervalMs, ...options.v2Timing, random: options.random ?? systemRandom }), {
      clock: options.clock,
      directory: options.directory,
      media: options.media,
      send: (bytes, to) => this.#send(bytes, to),
      emit: (notice) => this.#emit(notice),
      changed: () => this.#sync(),
    });
    options.transport.onMessage((bytes, from) => this.#onDatagram(bytes, from));
  }

  /** Where the call stands. */
  get state(): CallState {
    return this.#v2.visibleState?.state ?? this.#machine.state.phase.kind;
  }

  /** The name of the other party, if any. */
  get peer(): string | undefined {
    const v2 = this.#v2.visibleState;
    if (v2) return v2.peer;
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

  /** Tells each machine whether the other has a call, so that neither takes a second one. */
  #sync(): void {
    const classicBusy = this.#machine.state.phase.kind !== 'idle';
    if (classicBusy !== this.#told.v2) {
      this.#told = { ...this.#told, v2: classicBusy };
      this.#v2.dispatch({ type: 'elsewhere', busy: classicBusy });
    }
    const v2Busy = this.#v2.busy;
    if (v2Busy !== this.#told.classic) {
      this.#told = { ...this.#told, classic: v2Busy };
      this.#dispatch({ type: 'elsewhere', busy: v2Busy });
    }
  }

  /** Tells the machine the directory is gone: calls in progress go on, new ones fail. */
  directoryLost(): void {
    this.#dispatch({ type: 'directory-lost' });
  }

  /** Tells the machine the directory is back: new calls can be placed again. */
  directoryRestored(): void {
    this.#dispatch({ type: 'directory-restored' });
  }

  /**
   * Hangs up, lets the CLOSE repeats go out (about a second) and a v2 call's BYE be
   * resent until acknowledged or {@link CLOSE_BYE_WAIT_MS} passed, whichever comes
   * first, then stops the media and all timers. Leaves the transport and the media's
   * owner open. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // From here on a START is answered REJECT: nothing may ring once close() was called.
    this.#dispatch({ type: 'shutdown' });
    this.#v2.dispatch({ type: 'shutdown' });
    const { clock } = this.#options;
    let bound: TimerHandle | undefined;
    const byeWait = Promise.race([this.#v2.settled(), new Promise<void>((resolve) => (bound = clock.setTimeout(resolve, CLOSE_BYE_WAIT_MS)))]);
    if (this.#machine.state.closing) await new Promise<void>((resolve) => (this.#closingDone = resolve));
    await byeWait;
    clock.clearTimeout(bound);
    this.#v2.stop();
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#options.clock.clearTimeout(handle);
    this.#timers.clear();
    this.#options.media.stop();
  }

  #command(event: MachineEvent & { type: `user-${string}` }): void {
    if (this.#closed || (this.#closing && event.type !== 'user-hangup')) throw new PhoneError('closed', 'the phone is closed');
    const refusal = this.#v2.visibleState && event.type !== 'user-call' ? this.#v2.dispatch({ type: event.type }) : this.#dispatch(event);
    if (refusal) throw new PhoneError(refusal.code, refusal.detail);
  }

  #onDatagram(bytes: Uint8Array, from: PeerAddress): void {
    if (this.#closed) return;
    if (this.#secure !== 'off') {
      const kind = classifyV2Datagram(bytes);
      if (kind !== 'other') return void this.#v2.dispatch({ type: kind, from, bytes });
    }
    const datagram = classifyClassicDatagram(bytes);
    if (this.#v2.busy && !(datagram.kind === 'signal' && datagram.signal.type === 'START')) {
      // During a v2 call a classic datagram is a stray (counted); a START is answered REJECT by the classic machine.
      return void this.#v2.dispatch({ type: 'stray', from, detail: datagram.kind === 'signal' ? `classic ${datagram.signal.type}` : `a classic ${datagram.kind}` });
    }
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
    this.#sync();
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
        return this.#dial(effect.name, effect.attempt);
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
        media.deliver(effect.pcm);
        return;
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

  /** The dial look-up: a v2 peer's call (or a refusal) goes to the v2 machine, anything else back to the classic one. */
  #dial(name: string, attempt: number): void {
    const classic = (result: LookupResult): MachineEvent => ({ type: 'lookup-result', attempt, name, result });
    if (this.#secure === 'off') return this.#lookup(name, classic);
    this.#lookup(name, (result) => {
      const form = callForm(this.#secure, result.ok ? result.user : undefined);
      const phase = this.#machine.state.phase;
      if (form === 'classic' || !result.ok || !result.user || phase.kind !== 'dialing' || phase.attempt !== attempt) return classic(result);
      const user = result.user;
      this.#dispatch({ type: 'handed-over', attempt });
      if (form === 'v2') this.#v2.dispatch({ type: 'dial', name, address: { address: user.ip, port: user.port } });
      else this.#v2.dispatch({ type: 'dial-not-secure', name });
      return undefined;
    });
  }

  #lookup(name: string, event: (result: LookupResult) => MachineEvent | undefined): void {
    const run = (result: LookupResult): void => {
      const next = this.#closed ? undefined : event(result);
      if (next) this.#dispatch(next);
    };
    this.#options.directory.lookup(name).then(
      (user) => run({ ok: true, user }),
      (error: unknown) => run(failure(error)),
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
