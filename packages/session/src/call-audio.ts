/** The audio side of a phone's calls: creates, starts and stops each call's media, counts the call's dropped datagrams and reports its figures. */
import type { Clock } from '@voip/clock';
import type { PeerAddress } from './call-machine-types.js';
import type { CallStats } from './phone-types.js';
import type { V2MediaParams } from './v2/v2-types.js';

/** The six figures of secure media (V2-CONTRACT.md); a media that does not count one reports it as 0. */
export type SecureFigures = Pick<CallStats, 'packetsRejected' | 'packetsReplayed' | 'packetsLate' | 'packetsConcealed' | 'jitterMs' | 'playoutDelayMs'>;

/** What a call's media reports: the classic figures, and the secure ones when it counts them (@voip/media's `MediaStats`). */
export type MediaFigures = Omit<CallStats, keyof SecureFigures> & Partial<SecureFigures>;

/** The audio of one call, as a phone drives it (`createCallMedia` of @voip/media fits). */
export interface CallMediaPort {
  /** Starts sending audio. */
  start(): void;
  /** Plays one datagram from the peer; true when it was taken as the call's audio (secure media: authentic and new). */
  receive(datagram: Uint8Array): boolean;
  /** Stops and releases the call's audio. */
  stop(): Promise<void>;
  /** The call's figures now. */
  stats(): MediaFigures;
  /** Mutes or unmutes the microphone (silence is still sent). */
  setMuted(muted: boolean): void;
  /** Speaker gain, 0 (silent) to 2; 1 leaves audio unchanged. */
  setGain(gain: number): void;
}

/** What a {@link MediaFactory} is given: the peer, how to send to it, and the call's form (a v2 call with its keys, SSRCs and frame size). */
export type MediaFactoryOptions =
  | { readonly peer: PeerAddress; readonly send: (datagram: Uint8Array) => void; readonly protocol: 'classic' }
  | { readonly peer: PeerAddress; readonly send: (datagram: Uint8Array) => void; readonly protocol: 'v2'; readonly v2: V2MediaParams };

/** Creates the audio of one call; `send` puts a datagram on the wire to the peer. */
export type MediaFactory = (options: MediaFactoryOptions) => CallMediaPort | Promise<CallMediaPort>;

/** A ring tone playing; `stop()` also releases the output it plays on. */
export interface RingingPort {
  stop(): Promise<void>;
}

/** Starts a ring tone on the audio output (it opens the output itself). */
export type RingFactory = () => RingingPort | Promise<RingingPort>;

/** How a call that was connected ended: how long it lasted and its last figures. */
export interface CallSummary {
  /** Milliseconds from connecting to the end. */
  readonly durationMs: number;
  /** The figures at the end. */
  readonly stats: CallStats;
}

/** Options of {@link CallAudio}. */
export interface CallAudioOptions {
  /** Creates each call's media. */
  readonly media: MediaFactory;
  readonly clock: Clock;
  /** Rings while an incoming call waits; none by default. */
  readonly ring?: RingFactory;
  /** Told of failures that do not end a call (stopping the audio). */
  readonly onLog?: (level: 'warn' | 'error', message: string) => void;
}

const ZERO_STATS: MediaFigures = { packetsSent: 0, packetsReceived: 0, packetsLost: 0, packetsDropped: 0, inputLevelDbfs: -Infinity, outputLevelDbfs: -Infinity, durationMs: 0 };

/** The media lifecycle of one phone: at most one call's media at a time. */
export class CallAudio {
  readonly #factory: MediaFactory;
  readonly #clock: Clock;
  readonly #onLog: (level: 'warn' | 'error', message: string) => void;
  readonly #ringFactory: RingFactory | undefined;
  #ring: Promise<RingingPort | undefined> | undefined;
  /** The last ring's stop: a call's media opens the output only after it. */
  #ringStopped: Promise<void> = Promise.resolve();
  #ringStopping = false;
  #media: CallMediaPort | undefined;
  /** Counts calls, so that media created for a call that already ended is stopped at once. */
  #generation = 0;
  #active = false;
  #connectedAt = 0;
  /** Datagrams of this call the call machine discarded (wrong sender, malformed...). */
  #dropped = 0;
  #droppedTotal = 0;
  /** Datagrams of this call the v2 machine rejected (unauthentic, third party, classic words) or took for replays. */
  #rejected = 0;
  #replayed = 0;
  #muted = false;
  #gain = 1;
  #summary: CallSummary | undefined;
  #closed = false;
  readonly #stops = new Set<Promise<void>>();

  constructor(options: CallAudioOptions) {
    this.#factory = options.media;
    this.#clock = options.clock;
    this.#onLog = options.onLog ?? (() => {});
    this.#ringFactory = options.ring;
  }

  /** Starts the ring tone (when the phone has one) until {@link stopRinging}. */
  startRinging(): void {
    const factory = this.#ringFactory;
    if (!factory || this.#ring || this.#closed) return;
    const after = this.#ringStopped;
    // A new ring waits for the last one to release the output.
    this.#ring = after.then(factory).catch((error: unknown) => {
      this.#onLog('warn', `cannot play the ring tone: ${(error as Error)?.message ?? String(error)}`);
      return undefined;
    });
  }

  /** Stops the ring tone and releases its output; the next call's media waits for that. */
  stopRinging(): void {
    const ring = this.#ring;
    if (!ring) return;
    this.#ring = undefined;
    this.#ringStopping = true;
    this.#ringStopped = ring
      .then((playing) => playing?.stop())
      .catch((error: unknown) => this.#onLog('warn', `stopping the ring tone failed: ${(error as Error)?.message ?? String(error)}`))
      .finally(() => (this.#ringStopping = false));
    this.#track(this.#ringStopped);
  }

  /** Datagrams the call machine discarded since creation, in calls or not (wrong sender, unexpected, malformed). */
  get droppedDatagrams(): number {
    return this.#droppedTotal;
  }

  /** Whether the microphone is muted (kept for later calls). */
  get muted(): boolean {
    return this.#muted;
  }

  /** The speaker gain, 0..2 (kept for later calls). */
  get gain(): number {
    return this.#gain;
  }

  /** Mutes or unmutes the microphone of the call in progress and of later calls. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#media?.setMuted(muted);
  }

  /** Sets the speaker gain (0..2) of the call in progress and of later calls. Throws a RangeError outside 0..2. */
  setGain(gain: number): void {
    if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0 || gain > 2) throw new RangeError(`gain must be a number from 0 to 2, got ${String(gain)}`);
    this.#gain = gain;
    this.#media?.setGain(gain);
  }

  /**
   * Creates and starts a call's media towards `peer`; `fail` is told, once, when the
   * media cannot be created or started (the call then ends with 'error').
   */
  start(peer: PeerAddress, send: (datagram: Uint8Array) => void, fail: (detail: string) => void, v2?: V2MediaParams): void {
    const generation = ++this.#generation;
    this.#active = true;
    this.#connectedAt = this.#clock.now();
    this.#dropped = 0;
    this.#rejected = 0;
    this.#replayed = 0;
    this.#summary = undefined;
    const current = (): boolean => generation === this.#generation && !this.#closed;
    const onFailure = (error: unknown): void => {
      if (current()) fail(`audio failed: ${(error as Error)?.message ?? String(error)}`);
    };
    const begin = (media: CallMediaPort): void => {
      if (!current()) {
        this.#track(media.stop().catch(() => {}));
        return;
      }
      this.#media = media;
      try {
        media.setMuted(this.#muted);
        media.setGain(this.#gain);
        media.start();
      } catch (error) {
        onFailure(error);
      }
    };
    const create = (): void => {
      if (!current()) return;
      let created: CallMediaPort | Promise<CallMediaPort>;
      try {
        created = this.#factory(v2 ? { peer, send, protocol: 'v2', v2 } : { peer, send, protocol: 'classic' });
      } catch (error) {
        queueMicrotask(() => onFailure(error));
        return;
      }
      if (created instanceof Promise) created.then(begin, onFailure);
      else begin(created);
    };
    // The ring tone and the call share the output: the call opens it once the ring has closed it.
    if (this.#ringStopping) void this.#ringStopped.then(create);
    else create();
  }

  /**
   * Plays audio from the peer; counted as dropped while the media is not there yet.
   * True when the media took it as the call's audio (in a v2 call: authentic and new).
   */
  deliver(pcm: Uint8Array): boolean {
    if (this.#media) return this.#media.receive(pcm);
    this.drop();
    return false;
  }

  /** Counts a datagram the call machine discarded, in the current call's `packetsDropped`. */
  drop(): void {
    this.#droppedTotal++;
    if (this.#active) this.#dropped++;
  }

  /** Counts a datagram the v2 machine dropped, in the current call's `packetsRejected` or `packetsReplayed`. */
  count(kind: 'rejected' | 'replayed'): void {
    this.#droppedTotal++;
    if (!this.#active) return;
    if (kind === 'rejected') this.#rejected++;
    else this.#replayed++;
  }

  /** The current call's figures, or undefined when no call is connected. */
  stats(): CallStats | undefined {
    if (!this.#active) return undefined;
    const figures = this.#media?.stats() ?? ZERO_STATS;
    return {
      packetsSent: figures.packetsSent,
      packetsReceived: figures.packetsReceived,
      packetsLost: figures.packetsLost,
      packetsDropped: figures.packetsDropped + this.#dropped,
      inputLevelDbfs: figures.inputLevelDbfs,
      outputLevelDbfs: figures.outputLevelDbfs,
      // From the moment the call connected, not from when the audio device opened; whole milliseconds.
      durationMs: Math.max(0, Math.round(this.#clock.now() - this.#connectedAt)),
      packetsRejected: (figures.packetsRejected ?? 0) + this.#rejected,
      packetsReplayed: (figures.packetsReplayed ?? 0) + this.#replayed,
      packetsLate: figures.packetsLate ?? 0,
      packetsConcealed: figures.packetsConcealed ?? 0,
      jitterMs: figures.jitterMs ?? 0,
      playoutDelayMs: figures.playoutDelayMs ?? 0,
    };
  }

  /** Stops the call's media; its summary is kept for {@link takeSummary}. */
  stop(): void {
    const stats = this.stats();
    if (stats) this.#summary = { durationMs: stats.durationMs, stats };
    this.#generation++;
    this.#active = false;
    const media = this.#media;
    this.#media = undefined;
    if (media) {
      this.#track(
        media.stop().catch((error: unknown) => {
          this.#onLog('error', `stopping audio failed: ${(error as Error).message}`);
        }),
      );
    }
  }

  /** The summary of the call whose media stopped last, once; undefined when none was connected since. */
  takeSummary(): CallSummary | undefined {
    const summary = this.#summary;
    this.#summary = undefined;
    return summary;
  }

  /** Stops any media and waits until every stop has settled. */
  async close(): Promise<void> {
    this.stopRinging();
    this.stop();
    this.#closed = true;
    await Promise.all([...this.#stops]);
  }

  #track(stopping: Promise<void>): void {
    this.#stops.add(stopping);
    void stopping.finally(() => this.#stops.delete(stopping));
  }
}
