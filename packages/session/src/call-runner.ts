import { classifyClassicDatagram, encodeClassicSignal, type DirectoryUser } from '@voip/protocol';
import type { Clock, TimerHandle } from '@voip/clock';
import { callMachineConfig, createCallMachine, transition, type CallMachine } from './call-machine.js';
import type { CallMachineConfig, Effect, MachineEvent, MachineNotice, PeerAddress, TimerId } from './call-machine-types.js';
import { PhoneError } from './errors.js';
import type { CallState, CallStats } from './phone-types.js';
import type { Transport } from './transport/transport.js';

/** What the runner needs of the directory: finding a user's address. */
export interface DirectoryPort {
  /** The user's address, or null when nobody by that name is online. Rejects with an error carrying `code`. */
  lookup(name: string): Promise<DirectoryUser | null>;
}

/** Figures a call's media reports. */
export interface MediaFigures {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly packetsDropped: number;
  readonly inputLevelDbfs: number;
  readonly outputLevelDbfs: number;
}

/** The audio of one call, as the runner drives it (`createCallMedia` of @voip/media fits). */
export interface CallMediaPort {
  start(): void;
  receive(datagram: Uint8Array): void;
  stop(): Promise<void>;
  stats(): MediaFigures;
}

/** Creates the audio of one call; `send` puts a datagram on the wire to the peer. */
export type MediaFactory = (options: { readonly peer: PeerAddress; readonly send: (datagram: Uint8Array) => void }) => CallMediaPort | Promise<CallMediaPort>;

/** What a runner reports: the machine's notices, plus call figures about once a second. */
export type RunnerNotice = MachineNotice | { readonly name: 'stats'; readonly stats: CallStats };

/** Options of {@link CallRunner}. */
export interface CallRunnerOptions {
  readonly name: string;
  readonly transport: Transport;
  readonly directory: DirectoryPort;
  readonly media: MediaFactory;
  readonly clock: Clock;
  /** Timing overrides (ring and silence timeouts, repeat spacing...). */
  readonly timing?: Partial<Omit<CallMachineConfig, 'selfName'>>;
  /** Interval of `stats` notices during a call; default 1 000 ms. */
  readonly statsIntervalMs?: number;
  readonly onNotice?: (notice: RunnerNotice) => void;
}

const ZERO_FIGURES: MediaFigures = { packetsSent: 0, packetsReceived: 0, packetsLost: 0, packetsDropped: 0, inputLevelDbfs: -Infinity, outputLevelDbfs: -Infinity };

/**
 * Carries out the call machine's effects over a transport, a directory, a clock and
 * the media: the thin, impure shell around {@link transition}.
 */
export class CallRunner {
  #machine: CallMachine;
  readonly #transport: Transport;
  readonly #directory: DirectoryPort;
  readonly #mediaFactory: MediaFactory;
  readonly #clock: Clock;
  readonly #statsIntervalMs: number;
  readonly #onNotice: (notice: RunnerNotice) => void;
  readonly #timers = new Map<TimerId, TimerHandle>();
  readonly #queue: MachineEvent[] = [];
  #dispatching = false;
  #closed = false;
  #media: CallMediaPort | undefined;
  #mediaGeneration = 0;
  readonly #mediaStops = new Set<Promise<void>>();
  #connectedAt = 0;
  #statsTimer: TimerHandle | undefined;
  #dropped = 0;
  #closingDone: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: CallRunnerOptions) {
    this.#machine = createCallMachine(callMachineConfig(options.name, options.timing));
    this.#transport = options.transport;
    this.#directory = options.directory;
    this.#mediaFactory = options.media;
    this.#clock = options.clock;
    this.#statsIntervalMs = options.statsIntervalMs ?? 1000;
    if (!Number.isFinite(this.#statsIntervalMs) || this.#statsIntervalMs <= 0) throw new RangeError('statsIntervalMs must be a positive number of milliseconds');
    this.#onNotice = options.onNotice ?? (() => {});
    this.#transport.onMessage((bytes, from) => this.#onDatagram(bytes, from));
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

  /** Datagrams discarded by the runner (wrong sender, unexpected, malformed) since creation. */
  get droppedDatagrams(): number {
    return this.#dropped;
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

  /** Figures of the current call, or undefined when not in a call. */
  stats(): CallStats | undefined {
    if (this.state !== 'in-call') return undefined;
    const figures = this.#media?.stats() ?? ZERO_FIGURES;
    return {
      ...figures,
      packetsDropped: figures.packetsDropped + this.#dropped,
      durationMs: Math.max(0, this.#clock.now() - this.#connectedAt),
    };
  }

  /**
   * Hangs up, lets the CLOSE repeats go out (about a second), stops the media and all
   * timers. Leaves the transport open: its owner closes it. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // From here on a START is answered REJECT: nothing may ring once close() was called.
    this.#dispatch({ type: 'shutdown' });
    if (this.#machine.state.closing) {
      await new Promise<void>((resolve) => {
        this.#closingDone = resolve;
      });
    }
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    this.#stopMedia();
    await Promise.all([...this.#mediaStops]);
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

  /** Runs an event through the machine; returns the refusal of a user command, if any. */
  #dispatch(event: MachineEvent): Extract<Effect, { type: 'refuse' }> | undefined {
    if (this.#dispatching) {
      // A listener reacted to a notice: finish the current step first.
      this.#queue.push(event);
      return undefined;
    }
    this.#dispatching = true;
    let refusal: Extract<Effect, { type: 'refuse' }> | undefined;
    try {
      let next: MachineEvent | undefined = event;
      while (next) {
        const result = transition(this.#machine, next);
        this.#machine = { config: result.config, state: result.state };
        for (const effect of result.effects) {
          if (effect.type === 'refuse') {
            if (next === event) refusal = effect;
            else this.#emit({ name: 'log', level: 'warn', message: effect.detail });
          } else {
            this.#run(effect);
          }
        }
        next = this.#queue.shift();
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
      this.#onNotice(notice);
    } catch (error) {
      // A listener's bug must not break the call machinery.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #run(effect: Exclude<Effect, { type: 'refuse' }>): void {
    switch (effect.type) {
      case 'send':
        this.#send(encodeClassicSignal(effect.signal), effect.to);
        return;
      case 'startTimer': {
        const old = this.#timers.get(effect.id);
        if (old !== undefined) this.#clock.clearTimeout(old);
        const handle = this.#clock.setTimeout(() => {
          if (this.#timers.get(effect.id) !== handle) return;
          this.#timers.delete(effect.id);
          if (!this.#closed) this.#dispatch({ type: 'timer', id: effect.id });
        }, effect.ms);
        this.#timers.set(effect.id, handle);
        return;
      }
      case 'cancelTimer': {
        const handle = this.#timers.get(effect.id);
        if (handle !== undefined) this.#clock.clearTimeout(handle);
        this.#timers.delete(effect.id);
        return;
      }
      case 'startMedia':
        this.#startMedia(effect.peer);
        return;
      case 'deliverAudio':
        if (this.#media) this.#media.receive(effect.pcm);
        else this.#dropped++;
        return;
      case 'stopMedia':
        this.#stopMedia();
        return;
      case 'lookup':
        this.#directory.lookup(effect.name).then(
          (user) => this.#dispatchLater({ type: 'lookup-result', attempt: effect.attempt, name: effect.name, result: { ok: true, user } }),
          (error: unknown) => this.#dispatchLater({ type: 'lookup-result', attempt: effect.attempt, name: effect.name, result: failure(error) }),
        );
        return;
      case 'lookupCaller':
        this.#directory.lookup(effect.caller).then(
          (user) => this.#dispatchLater({ type: 'caller-lookup-result', caller: effect.caller, from: effect.from, result: { ok: true, user } }),
          (error: unknown) => this.#dispatchLater({ type: 'caller-lookup-result', caller: effect.caller, from: effect.from, result: failure(error) }),
        );
        return;
      case 'drop':
        this.#dropped++;
        return;
      case 'emit':
        this.#emit(effect.notice);
        return;
    }
  }

  #dispatchLater(event: MachineEvent): void {
    if (!this.#closed) this.#dispatch(event);
  }

  #send(bytes: Uint8Array, to: PeerAddress): void {
    try {
      this.#transport.send(bytes, to);
    } catch (error) {
      this.#emit({ name: 'log', level: 'error', message: `cannot send to ${to.address}:${to.port}: ${(error as Error).message}` });
    }
  }

  #startMedia(peer: PeerAddress): void {
    const generation = ++this.#mediaGeneration;
    this.#connectedAt = this.#clock.now();
    const onFailure = (error: unknown): void => {
      if (generation !== this.#mediaGeneration || this.#closed) return;
      this.#dispatch({ type: 'local-failure', detail: `audio failed: ${(error as Error).message ?? String(error)}` });
    };
    let created: CallMediaPort | Promise<CallMediaPort>;
    try {
      created = this.#mediaFactory({ peer, send: (datagram) => this.#send(datagram, peer) });
    } catch (error) {
      queueMicrotask(() => onFailure(error));
      return;
    }
    const begin = (media: CallMediaPort): void => {
      if (generation !== this.#mediaGeneration || this.#closed) {
        this.#track(media.stop().catch(() => {}));
        return;
      }
      this.#media = media;
      try {
        media.start();
      } catch (error) {
        onFailure(error);
        return;
      }
      this.#scheduleStats(generation);
    };
    if (created instanceof Promise) created.then(begin, onFailure);
    else begin(created);
  }

  #scheduleStats(generation: number): void {
    this.#statsTimer = this.#clock.setTimeout(() => {
      if (generation !== this.#mediaGeneration || this.#closed) return;
      const stats = this.stats();
      if (stats) this.#emit({ name: 'stats', stats });
      this.#scheduleStats(generation);
    }, this.#statsIntervalMs);
  }

  /** Remembers a media stop until it settles, so that close() can wait for it. */
  #track(stopping: Promise<void>): void {
    this.#mediaStops.add(stopping);
    void stopping.finally(() => this.#mediaStops.delete(stopping));
  }

  #stopMedia(): void {
    this.#mediaGeneration++;
    if (this.#statsTimer !== undefined) this.#clock.clearTimeout(this.#statsTimer);
    this.#statsTimer = undefined;
    const media = this.#media;
    this.#media = undefined;
    if (media) {
      this.#track(
        media.stop().catch((error: unknown) => {
          this.#emit({ name: 'log', level: 'error', message: `stopping audio failed: ${(error as Error).message}` });
        }),
      );
    }
  }
}

function failure(error: unknown): { ok: false; code: string; detail: string } {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'error';
  const detail = error instanceof Error ? error.message : String(error);
  return { ok: false, code, detail };
}
