/** The naudiodon (PortAudio) backend, loaded lazily: its module shape, the loader and the device list. */
import { AudioBackendMissingError } from './errors.js';

/** What a device looks like to the rest of voip. */
export interface AudioDeviceInfo {
  /** The PortAudio device index, usable as `device:INDEX`. */
  readonly id: number;
  /** The device name, usable as `device:NAME`. */
  readonly name: string;
  readonly maxInputChannels: number;
  readonly maxOutputChannels: number;
  readonly defaultSampleRate: number;
  /** The host API (ALSA, JACK...). */
  readonly hostApi: string;
}

/** Options of a naudiodon input or output stream (the subset voip uses). */
export interface NaudiodonStreamOptions {
  deviceId: number;
  sampleRate: number;
  channelCount: number;
  sampleFormat: 16;
  framesPerBuffer: number;
  maxQueue: number;
  closeOnError: boolean;
  /** Bytes per read of the Node stream (naudiodon reads this much at a time: 16 KiB, 1 s, by default). */
  highwaterMark: number;
}

/** A naudiodon stream: a Node stream plus start/quit/abort. */
export interface NaudiodonStream {
  start(): void;
  quit(callback?: () => void): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  write?(chunk: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  destroy?(error?: Error): unknown;
}

/** The part of the naudiodon module that voip uses; tests may inject a fake. */
export interface NaudiodonModule {
  getDevices(): Array<{
    id: number;
    name: string;
    maxInputChannels: number;
    maxOutputChannels: number;
    defaultSampleRate: number;
    hostAPIName: string;
  }>;
  AudioIO(options: { inOptions: NaudiodonStreamOptions } | { outOptions: NaudiodonStreamOptions }): NaudiodonStream;
}

/** Loads the audio backend; the default imports naudiodon lazily. */
export type AudioBackendLoader = () => Promise<NaudiodonModule>;

/** A variable specifier keeps the optional package out of type-checking and bundling. */
const NAUDIODON: string = 'naudiodon';

/**
 * Builds a loader that imports naudiodon once, on first use (it is an optional
 * dependency with native code), and turns any failure into an
 * {@link AudioBackendMissingError} saying which other audio to choose. A failed load is
 * retried on the next call. `importModule` is replaceable for tests.
 */
export function naudiodonLoader(importModule: () => Promise<unknown> = () => import(NAUDIODON)): AudioBackendLoader {
  let loaded: Promise<NaudiodonModule> | undefined;
  return () => {
    loaded ??= (async () => {
      try {
        const mod = (await importModule()) as { default?: NaudiodonModule } & Partial<NaudiodonModule>;
        const api = (mod.default ?? mod) as NaudiodonModule;
        if (typeof api.AudioIO !== 'function' || typeof api.getDevices !== 'function') throw new Error('unexpected module shape');
        return api;
      } catch (error) {
        loaded = undefined;
        const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new AudioBackendMissingError(
          `audio devices need the optional package naudiodon, which is not installed or does not load (${why}); ` +
            'install it, or choose other audio: an input of wav:PATH, tone or silence, and an output of wav:PATH or null',
          { cause: error },
        );
      }
    })();
    return loaded;
  };
}

/**
 * The default backend: naudiodon, imported on first use. PortAudio reads PULSE_SERVER
 * and friends when it loads: set them before the first device is opened.
 */
export const loadNaudiodon: AudioBackendLoader = naudiodonLoader();

/** Lists the audio devices that the backend sees (an empty list on a machine without sound). */
export async function listAudioDevices(options: { backend?: AudioBackendLoader } = {}): Promise<AudioDeviceInfo[]> {
  const api = await (options.backend ?? loadNaudiodon)();
  return api.getDevices().map((d) => ({
    id: d.id,
    name: d.name,
    maxInputChannels: d.maxInputChannels,
    maxOutputChannels: d.maxOutputChannels,
    defaultSampleRate: d.defaultSampleRate,
    hostApi: d.hostAPIName,
  }));
}
