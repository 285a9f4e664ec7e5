/** Test harness: call runners on an in-memory network with a fake directory, fake media and a manual clock. */
import { createManualClock, type ManualClock } from '@voip/clock';
import { createCallMedia, createSecureCallMedia } from '@voip/media';
import { createNullSink, createSilenceSource } from '@voip/media/internal';
import { decodeClassicSignal, nameKey, type DirectoryUser } from '@voip/protocol';
import {
  CallAudio,
  CallRunner,
  createMemoryNetwork,
  type CallMediaPort,
  type FaultAction,
  type Flight,
  type MediaFactory,
  type MemoryNetwork,
  type PeerAddress,
  type RunnerNotice,
  type Transport,
  type V2MediaParams,
} from '../../src/internal.js';
import { seededRandom } from './v2-fixtures.js';

/** A fake call media: records what it receives; sends a frame every 64 ms unless muted. */
export interface FakeMedia extends CallMediaPort {
  readonly received: Uint8Array[];
  readonly started: boolean;
  readonly stopped: boolean;
  muted: boolean;
  gain: number;
  /** The v2 call's media parameters; undefined for a classic call. */
  readonly v2?: V2MediaParams;
}

/** A runner in the harness, with everything it reported. */
export interface TestPhone {
  readonly name: string;
  readonly address: PeerAddress;
  readonly runner: CallRunner;
  /** The phone's media lifecycle (figures, mute, gain). */
  readonly audio: CallAudio;
  readonly transport: Transport;
  readonly notices: RunnerNotice[];
  readonly media: FakeMedia[];
  /** Reasons of the `ended` notices, in order. */
  ended(): string[];
  /** Number of `incoming` notices. */
  incoming(): number;
}

/** Options of one phone of the harness. */
export interface TestPhoneOptions {
  readonly address?: string;
  readonly port?: number;
  /** Send audio frames while in a call (default true). */
  readonly audio?: boolean;
  readonly ringTimeoutMs?: number;
  readonly silenceTimeoutMs?: number;
  /** Reacts to each notice (e.g. accept on incoming). */
  readonly onNotice?: (notice: RunnerNotice, phone: TestPhone) => void;
  /** PhoneOptions.secure; default 'prefer'. */
  readonly secure?: 'prefer' | 'require' | 'off';
  /** The version the directory reports for this phone (`v`); default none (classic). */
  readonly v?: number;
  /** What this phone's directory look-ups answer, instead of the shared directory (a man in the middle's victims). */
  readonly lookup?: (name: string) => DirectoryUser | null;
  /** The real call media of @voip/media (silence in, nothing out; sealed RTP in a v2 call) instead of the fake; `media` then stays empty. */
  readonly realMedia?: boolean;
}

/** Two or more runners on an in-memory network, a fake directory and a manual clock. */
export interface Harness {
  readonly clock: ManualClock;
  readonly network: MemoryNetwork;
  /** The directory's entries; tests may change them. */
  readonly directory: Map<string, DirectoryUser>;
  add(name: string, options?: TestPhoneOptions): TestPhone;
  /** Advances virtual time by `ms`, 1 ms at a time, letting promise callbacks run in between. */
  advance(ms: number): Promise<void>;
  /** Decides the fate of each datagram. */
  fault(rule: ((flight: Flight, signal: string | undefined) => FaultAction) | undefined): void;
  /** The signals sent so far (`from>to:TYPE`), with their virtual send time. */
  readonly signals: { readonly at: number; readonly from: PeerAddress; readonly to: PeerAddress; readonly type: string }[];
  close(): Promise<void>;
}

function signalOf(bytes: Uint8Array): string | undefined {
  if (bytes.length === 1024) return undefined;
  const decoded = decodeClassicSignal(bytes);
  return decoded.ok ? decoded.value.type : undefined;
}

/** Builds a harness. */
export function createHarness(): Harness {
  const clock = createManualClock(0);
  const network = createMemoryNetwork({ clock, latencyMs: 1 });
  const directory = new Map<string, DirectoryUser>();
  const phones: TestPhone[] = [];
  const signals: Harness['signals'] = [];
  let seeds = 0;
  let rule: ((flight: Flight, signal: string | undefined) => FaultAction) | undefined;
  network.setFault((flight) => {
    const signal = signalOf(flight.bytes);
    if (signal) signals.push({ at: clock.now(), from: flight.from, to: flight.to, type: signal });
    return rule ? rule(flight, signal) : 'deliver';
  });

  function fakeMediaFactory(phone: { media: FakeMedia[] }, audio: boolean): MediaFactory {
    return (options) => {
      const { send } = options;
      let timer: unknown;
      const received: Uint8Array[] = [];
      let sent = 0;
      // A classic frame, or (v2) a datagram that is classified as RTP: the fake media does not seal.
      const frame = options.protocol === 'v2' ? new Uint8Array(348).fill(0x80) : new Uint8Array(1024).fill(7);
      const media: FakeMedia = {
        received,
        started: false,
        stopped: false,
        muted: false,
        gain: 1,
        ...(options.protocol === 'v2' ? { v2: options.v2 } : {}),
        setMuted(value) {
          media.muted = value;
        },
        setGain(value) {
          media.gain = value;
        },
        start() {
          (media as { started: boolean }).started = true;
          const tick = (): void => {
            if (!media.muted && audio) {
              send(frame);
              sent++;
            }
            timer = clock.setTimeout(tick, 64);
          };
          timer = clock.setTimeout(tick, 64);
        },
        receive(datagram) {
          received.push(datagram);
          return true; // the fake takes every datagram for the peer's audio
        },
        stop() {
          (media as { stopped: boolean }).stopped = true;
          clock.clearTimeout(timer);
          return Promise.resolve();
        },
        stats: () => ({ packetsSent: sent, packetsReceived: received.length, packetsLost: 0, packetsDropped: 0, inputLevelDbfs: -20, outputLevelDbfs: -20, durationMs: 0 }),
      };
      phone.media.push(media);
      return media;
    };
  }

  function realMediaFactory(): MediaFactory {
    return (options) => {
      const [source, sink, send] = [createSilenceSource(), createNullSink(), options.send];
      return options.protocol === 'v2' ? createSecureCallMedia({ source, sink, send, clock, v2: options.v2 }) : createCallMedia({ source, sink, send, clock });
    };
  }

  return {
    clock,
    network,
    directory,
    signals,
    add(name, options = {}) {
      const address: PeerAddress = { address: options.address ?? '127.0.0.1', port: options.port ?? 5001 + phones.length };
      const transport = network.bind(address.port, address.address);
      const notices: RunnerNotice[] = [];
      const media: FakeMedia[] = [];
      // Set once the phone is built: notices during construction have no phone to report to.
      const built: { phone?: TestPhone } = {};
      const audio = new CallAudio({ media: options.realMedia ? realMediaFactory() : fakeMediaFactory({ media }, options.audio ?? true), clock });
      const runner = new CallRunner({
        name,
        transport,
        clock,
        directory: {
          lookup: (who) => {
            if (options.lookup) return Promise.resolve(options.lookup(who));
            const user = directory.get(nameKey(who));
            return Promise.resolve(user ? { ...user, name: who } : null);
          },
        },
        media: audio,
        secure: options.secure ?? 'prefer',
        random: seededRandom(`${name}:${address.port}:${seeds++}`),
        timing: { ringTimeoutMs: options.ringTimeoutMs ?? 30_000, silenceTimeoutMs: options.silenceTimeoutMs ?? 5_000 },
        onNotice: (notice) => {
          notices.push(notice);
          if (built.phone) options.onNotice?.(notice, built.phone);
        },
      });
      const phone: TestPhone = {
        name,
        address,
        runner,
        audio,
        transport,
        notices,
        media,
        ended: () => notices.flatMap((n) => (n.name === 'ended' ? [n.reason] : [])),
        incoming: () => notices.filter((n) => n.name === 'incoming').length,
      };
      built.phone = phone;
      directory.set(nameKey(name), { name, ip: address.address, port: address.port, ...(options.v === undefined ? {} : { v: options.v }) } as DirectoryUser);
      phones.push(phone);
      return phone;
    },
    async advance(ms) {
      for (let i = 0; i < ms; i++) {
        clock.advance(1);
        for (let j = 0; j < 4; j++) await Promise.resolve();
      }
    },
    fault(next) {
      rule = next;
    },
    async close() {
      const closing = phones.map((p) => p.runner.close().then(() => p.audio.close()));
      for (let i = 0; i < 3000 && clock.pending() > 0; i++) await this.advance(1);
      await Promise.all(closing);
      await Promise.all(phones.map((p) => p.transport.close()));
    },
  };
}

/** Accepts every incoming call. */
export function autoAccept(notice: RunnerNotice, phone: TestPhone): void {
  if (notice.name === 'incoming') phone.runner.accept();
}
