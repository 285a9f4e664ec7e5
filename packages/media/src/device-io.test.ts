/** Tests of device sources and sinks over a fake naudiodon backend. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openDeviceSink, openDeviceSource } from './device-io.js';
import { selectAudioDevice } from './device-select.js';
import { AudioBackendMissingError, AudioDeviceError, AudioDeviceNotFoundError } from './errors.js';
import { listAudioDevices, naudiodonLoader, type AudioDeviceInfo, type NaudiodonModule, type NaudiodonStreamOptions } from './naudiodon-backend.js';
import { openAudioSink, openAudioSource } from './open-audio.js';

const devices: AudioDeviceInfo[] = [
  { id: 0, name: 'HDA Intel PCH: ALC3246 Analog (hw:0,0)', maxInputChannels: 2, maxOutputChannels: 2, defaultSampleRate: 44100, hostApi: 'ALSA' },
  { id: 1, name: 'HDMI 0 (hw:0,3)', maxInputChannels: 0, maxOutputChannels: 8, defaultSampleRate: 44100, hostApi: 'ALSA' },
  { id: 2, name: 'pulse', maxInputChannels: 32, maxOutputChannels: 32, defaultSampleRate: 44100, hostApi: 'ALSA' },
  { id: 3, name: 'default', maxInputChannels: 32, maxOutputChannels: 32, defaultSampleRate: 44100, hostApi: 'ALSA' },
];

describe('selectAudioDevice', () => {
  it.each([
    [{ by: 'default' } as const, 'input', -1],
    [{ by: 'index', index: 1 } as const, 'output', 1],
    [{ by: 'name', name: 'pulse' } as const, 'input', 2],
    [{ by: 'name', name: 'alc3246' } as const, 'input', 0],
    [{ by: 'name', name: 'HDMI' } as const, 'output', 1],
  ])('%j as %s -> %i', (selector, direction, id) => {
    const r = selectAudioDevice(devices, selector, direction as 'input' | 'output');
    expect(r.ok && r.value.id).toBe(id);
  });

  it.each([
    [{ by: 'index', index: 9 } as const, 'input', 'number 9'],
    [{ by: 'index', index: 1 } as const, 'input', 'has no input'],
    [{ by: 'name', name: 'HDMI' } as const, 'input', 'named "HDMI"'],
    [{ by: 'name', name: 'hw:0' } as const, 'output', 'matches several'],
  ])('%j as %s fails (%s)', (selector, direction, why) => {
    const r = selectAudioDevice(devices, selector, direction as 'input' | 'output');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('audio-device-not-found');
      expect(r.detail).toContain(why);
      expect(r.detail).toContain(direction === 'input' ? 'choose another audio input' : 'choose another audio output');
      expect(r.detail).not.toContain('--');
    }
  });

  it('says so when there is no device at all', () => {
    const r = selectAudioDevice([], { by: 'default' }, 'input');
    expect(r).toMatchObject({ ok: false, code: 'audio-device-not-found' });
    if (!r.ok) expect(r.detail).toBe('no audio input device found; choose another audio input (wav:PATH, tone, silence)');
  });
});

/** A fake naudiodon: streams are event emitters; writes are recorded and acknowledged on demand. */
function fakeBackend(list: AudioDeviceInfo[] = devices) {
  const streams: Array<
    EventEmitter & {
      options: NaudiodonStreamOptions;
      written: Uint8Array[];
      acks: Array<() => void>;
      started: boolean;
      quit(cb?: () => void): void;
      start(): void;
      write(c: Uint8Array, cb?: (e?: Error | null) => void): boolean;
    }
  > = [];
  const api: NaudiodonModule = {
    getDevices: () => list.map((d) => ({ ...d, hostAPIName: d.hostApi })),
    AudioIO(options) {
      const stream = Object.assign(new EventEmitter(), {
        options: 'inOptions' in options ? options.inOptions : options.outOptions,
        written: [] as Uint8Array[],
        acks: [] as Array<() => void>,
        started: false,
        start() {
          stream.started = true;
        },
        quit(cb?: () => void) {
          cb?.();
        },
        write(chunk: Uint8Array, cb?: (e?: Error | null) => void) {
          stream.written.push(chunk);
          stream.acks.push(() => cb?.(null));
          return true;
        },
      });
      streams.push(stream);
      return stream;
    },
  };
  return { backend: async () => api, streams };
}

const le = (...values: number[]) => new Uint8Array(new Int16Array(values).buffer);

describe('device source and sink (fake backend)', () => {
  it('opens at 8000 Hz mono 16-bit with 512-frame buffers', async () => {
    const { backend, streams } = fakeBackend();
    const source = await openDeviceSource({ by: 'name', name: 'pulse' }, { backend });
    expect(streams[0]!.options).toMatchObject({ deviceId: 2, sampleRate: 8000, channelCount: 1, sampleFormat: 16, framesPerBuffer: 512, highwaterMark: 1024 });
    expect(streams[0]!.started).toBe(true);
    expect(source.label).toBe('device:pulse');
    await source.close();
  });

  it('buffers captured chunks into frames, primes, and gives silence when dry', async () => {
    const { backend, streams } = fakeBackend();
    const source = await openDeviceSource({ by: 'default' }, { backend, prefillFrames: 2 });
    const capture = streams[0]!;
    expect(source.readFrame()!.every((x) => x === 0)).toBe(true);
    // 2.5 frames in odd-sized chunks.
    const samples = new Int16Array(1280).map((_, i) => i + 1);
    const bytes = new Uint8Array(samples.buffer);
    capture.emit('data', bytes.subarray(0, 300));
    capture.emit('data', bytes.subarray(300, 2000));
    capture.emit('data', bytes.subarray(2000));
    expect(source.readFrame()).toEqual(samples.subarray(0, 512));
    expect(source.readFrame()).toEqual(samples.subarray(512, 1024));
    expect(source.readFrame()!.every((x) => x === 0)).toBe(true);
    expect(source.underruns).toBe(1);
    await source.close();
    expect(source.readFrame()).toBeNull();
  });

  it('drops the oldest captured audio beyond the bound', async () => {
    const { backend, streams } = fakeBackend();
    const source = await openDeviceSource({ by: 'default' }, { backend, prefillFrames: 1, maxBufferedFrames: 2 });
    for (let f = 1; f <= 5; f++) streams[0]!.emit('data', new Uint8Array(new Int16Array(512).fill(f).buffer));
    expect(source.overflowFrames).toBe(3);
    expect(source.readFrame()![0]).toBe(4);
    expect(source.readFrame()![0]).toBe(5);
    await source.close();
  });

  it('surfaces a capture error on the next read', async () => {
    const { backend, streams } = fakeBackend();
    const source = await openDeviceSource({ by: 'default' }, { backend });
    streams[0]!.emit('error', new Error('device unplugged'));
    expect(() => source.readFrame()).toThrow(AudioDeviceError);
    await source.close();
  });

  it('surfaces the end of capture on the next read', async () => {
    const { backend, streams } = fakeBackend();
    const source = await openDeviceSource({ by: 'default' }, { backend });
    streams[0]!.emit('end');
    expect(() => source.readFrame()).toThrow(/stopped capturing/);
    await source.close();
  });

  it('sink primes with silence, writes s16le, drops frames the device does not take', async () => {
    const { backend, streams } = fakeBackend();
    const sink = await openDeviceSink({ by: 'index', index: 1 }, { backend, prefillFrames: 1, maxBufferedFrames: 3 });
    const out = streams[0]!;
    const frame = new Int16Array(512);
    frame[0] = -2;
    frame[511] = 300;
    sink.writeFrame(frame);
    expect(out.written).toHaveLength(2);
    expect(out.written[0]!.every((b) => b === 0)).toBe(true);
    expect(out.written[1]!.subarray(0, 2)).toEqual(le(-2));
    expect(out.written[1]!.subarray(1022)).toEqual(le(300));
    sink.writeFrame(frame);
    sink.writeFrame(frame);
    expect(sink.overflowFrames).toBe(1);
    out.acks.splice(0).forEach((ack) => ack());
    sink.writeFrame(frame);
    expect(out.written).toHaveLength(4);
    expect(() => sink.writeFrame(new Int16Array(10))).toThrow(RangeError);
    await sink.close();
    expect(() => sink.writeFrame(frame)).toThrow(AudioDeviceError);
  });

  it('explains a machine without devices, naming the side (never an app flag)', async () => {
    const { backend } = fakeBackend([]);
    const input = await openAudioSource('device', { backend }).catch((e: unknown) => e);
    expect(input).toBeInstanceOf(AudioDeviceNotFoundError);
    expect((input as AudioDeviceNotFoundError).code).toBe('audio-device-not-found');
    expect((input as Error).message).toContain('choose another audio input');
    expect((input as Error).message).not.toContain('--');
    const output = await openAudioSink('device:3', { backend }).catch((e: unknown) => e);
    expect((output as AudioDeviceNotFoundError).code).toBe('audio-device-not-found');
    expect((output as Error).message).toContain('choose another audio output');
    expect((output as Error).message).not.toContain('--');
  });

  it('maps PortAudio "No default device" to audio-device-not-found', async () => {
    const { backend } = fakeBackend();
    const api = await backend();
    const broken = async () => ({
      ...api,
      AudioIO: () => {
        throw new Error('No default device');
      },
    });
    await expect(openAudioSource('device', { backend: broken })).rejects.toMatchObject({ code: 'audio-device-not-found' });
    const failing = async () => ({
      ...api,
      AudioIO: () => {
        throw new Error('Invalid sample rate');
      },
    });
    await expect(openAudioSink('device', { backend: failing })).rejects.toMatchObject({ code: 'audio-device-failed' });
  });
});

describe('naudiodon loader', () => {
  it('reports a missing package as audio-backend-missing saying which other audio to choose, and retries later', async () => {
    let attempts = 0;
    const load = naudiodonLoader(async () => {
      attempts++;
      throw new Error("Cannot find package 'naudiodon'");
    });
    const error = await listAudioDevices({ backend: load }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioBackendMissingError);
    expect((error as AudioBackendMissingError).code).toBe('audio-backend-missing');
    expect((error as Error).message).toMatch(/an input of wav:PATH, tone or silence, and an output of wav:PATH or null/);
    expect((error as Error).message).not.toContain('--');
    await expect(openAudioSource('device', { backend: load })).rejects.toBeInstanceOf(AudioBackendMissingError);
    expect(attempts).toBe(2);
  });

  it('loads once and accepts a CommonJS default export', async () => {
    const { backend } = fakeBackend();
    const api = await backend();
    let attempts = 0;
    const load = naudiodonLoader(async () => {
      attempts++;
      return { default: api };
    });
    expect(await listAudioDevices({ backend: load })).toHaveLength(4);
    await listAudioDevices({ backend: load });
    expect(attempts).toBe(1);
  });

  it('does not need naudiodon for anything but devices', async () => {
    const tone = await openAudioSource('tone:1000');
    const sink = await openAudioSink('null');
    sink.writeFrame(tone.readFrame()!);
    await tone.close();
    await sink.close();
    await expect(openAudioSource('speaker')).rejects.toMatchObject({ code: 'bad-audio-spec', name: 'AudioSpecError' });
    await expect(openAudioSink('tone')).rejects.toMatchObject({ code: 'bad-audio-spec' });
  });
});
