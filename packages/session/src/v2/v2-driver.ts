/** The interpreter of the v2 call machine: carries out its effects (datagrams, timers, look-ups, media, counts, notices) and feeds events back. */
import type { Clock, TimerHandle } from '@voip/clock';
import type { PeerAddress } from '../call-machine-types.js';
import type { DirectoryPort, MediaEffectsPort, RunnerNotice } from '../call-runner-ports.js';
import type { CallState } from '../phone-types.js';
import { initialV2State } from './v2-config.js';
import { visible } from './v2-end.js';
import { v2Transition } from './v2-machine.js';
import type { LookupOutcome, V2Config, V2Effect, V2Event, V2State } from './v2-types.js';

/** What the driver carries effects out through. */
export interface V2DriverPorts {
  readonly clock: Clock;
  readonly directory: DirectoryPort;
  readonly media: MediaEffectsPort;
  /** Puts a datagram on the wire. */
  send(bytes: Uint8Array, to: PeerAddress): void;
  /** Tells the outside world. */
  emit(notice: RunnerNotice): void;
  /** Called after every event, so that the classic machine learns whether a v2 call is in progress. */
  changed(): void;
}

type Refusal = Extract<V2Effect, { type: 'refuse' }>;

/** Runs {@link v2Transition} over the ports, one event at a time. */
export class V2Driver {
  #state: V2State = initialV2State();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #queue: V2Event[] = [];
  #dispatching = false;
  #stopped = false;
  #settled: (() => void) | undefined;

  constructor(
    readonly config: V2Config,
    private readonly ports: V2DriverPorts,
  ) {}

  /** The machine's state (read-only). */
  get machineState(): V2State {
    return this.#state;
  }

  /** True while a v2 call is being set up or is in progress (the phone is then busy). */
  get busy(): boolean {
    const call = this.#state.call;
    return call !== undefined && call.stage !== 'ended';
  }

  /** Where the call stands as the user sees it, or undefined when the user sees no v2 call. */
  get visibleState(): { state: CallState; peer: string } | undefined {
    const call = this.#state.call;
    if (!call || !visible(call)) return undefined;
    const state: CallState = call.stage === 'in-call' ? 'in-call' : call.stage === 'ringing' ? 'ringing' : 'calling';
    return { state, peer: call.peer.name };
  }

  /** Runs an event (after the one running now); returns the refusal of a user command, if any. */
  dispatch(event: V2Event): Refusal | undefined {
    if (this.#stopped) return undefined;
    if (this.#dispatching) {
      this.#queue.push(event);
      return undefined;
    }
    this.#dispatching = true;
    let refusal: Refusal | undefined;
    try {
      for (let next: V2Event | undefined = event; next; next = this.#queue.shift()) {
        const result = v2Transition(this.config, this.#state, next);
        this.#state = result.state;
        for (const effect of result.effects) {
          if (effect.type !== 'refuse') this.#run(effect);
          else if (next === event) refusal = effect;
        }
      }
    } finally {
      this.#dispatching = false;
    }
    this.ports.changed();
    if (this.#settled && this.#state.transactions.length === 0) {
      const done = this.#settled;
      this.#settled = undefined;
      done();
    }
    return refusal;
  }

  /** Resolves once no transaction is outstanding (the last BYE acknowledged or timed out). */
  settled(): Promise<void> {
    if (this.#state.transactions.length === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#settled = resolve));
  }

  /** Cancels every timer; the driver ignores events from then on. */
  stop(): void {
    this.#stopped = true;
    for (const handle of this.#timers.values()) this.ports.clock.clearTimeout(handle);
    this.#timers.clear();
  }

  #run(effect: Exclude<V2Effect, Refusal>): void {
    const { clock, media } = this.ports;
    switch (effect.type) {
      case 'send':
        return this.ports.send(effect.bytes, effect.to);
      case 'startTimer': {
        clock.clearTimeout(this.#timers.get(effect.id));
        const handle = clock.setTimeout(() => {
          if (this.#timers.get(effect.id) !== handle) return;
          this.#timers.delete(effect.id);
          this.dispatch({ type: 'timer', id: effect.id });
        }, effect.ms);
        this.#timers.set(effect.id, handle);
        return;
      }
      case 'cancelTimer':
        clock.clearTimeout(this.#timers.get(effect.id));
        this.#timers.delete(effect.id);
        return;
      case 'startMedia': {
        const peer = effect.peer;
        const fail = (detail: string): void => void this.dispatch({ type: 'local-failure', detail });
        return media.start(peer, (datagram) => this.ports.send(datagram, peer), fail, effect.v2);
      }
      case 'deliverMedia':
        // Only media that authenticates shows the peer is there (a forgery from its address must not keep a dead call up).
        if (media.deliver(effect.bytes)) this.dispatch({ type: 'media-authentic', callId: effect.callId });
        return;
      case 'stopMedia':
        return media.stop();
      case 'startRinging':
        return media.startRinging();
      case 'stopRinging':
        return media.stopRinging();
      case 'reportStats': {
        const stats = media.stats();
        if (stats) this.ports.emit({ name: 'stats', stats });
        return;
      }
      case 'count':
        return media.count(effect.kind);
      case 'lookupCaller': {
        const { callId, from } = effect;
        const done = (result: LookupOutcome): void => void this.dispatch({ type: 'caller-lookup-result', callId, from, result });
        this.ports.directory.lookup(effect.caller).then(
          (user) => done({ ok: true, user }),
          (error: unknown) => done({ ok: false, code: 'error', detail: error instanceof Error ? error.message : String(error) }),
        );
        return;
      }
      case 'emit':
        return this.ports.emit(effect.notice);
    }
  }
}
