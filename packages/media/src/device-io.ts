/** Sound device sources and sinks over naudiodon streams, with bounded buffering both ways. */
import type { AudioFormat, AudioSink, AudioSource } from './audio-port.js';
import type { DeviceSelector } from './audio-spec.js';
import { selectAudioDevice } from './device-select.js';
import { AudioDeviceError, AudioDeviceNotFoundError, audioSide, audioAlternatives, type AudioDirection } from './errors.js';
import { assertFrameLength, CLASSIC_FORMAT } from './generators.js';
import { listAudioDevices, loadNaudiodon, type AudioBackendLoader, type NaudiodonStream, type NaudiodonStreamOptions } from './naudiodon-backend.js';

/** Options of device sources and sinks. */
export interface DeviceOptions {
  /** How to load naudiodon; defaults to a lazy import. Tests inject fakes. */
  readonly backend?: AudioBackendLoader;
  /** Capture: frames buffered before audio is handed out, and again after running dry (default 3). Playback: frames of silence queued before the first frame (default 2). */
  readonly prefillFrames?: number;
  /** Most frames kept in the capture buffer or queued for playback; beyond, the oldest are dropped (default 6). */
  readonly maxBufferedFrames?: number;
}

/** A device source, with counters for diagnostics. */
export interface DeviceAudioSource extends AudioSource {
  /** Frames returned as silence because nothing had been captured. */
  readonly underruns: number;
  /** Captured frames dropped because the pump fell behind. */
  readonly overflowFrames: number;
}

/** A device sink, with counters for diagnostics. */
export interface DeviceAudioSink extends AudioSink {
  /** Frames dropped because the device did not take them fast enough. */
  readonly overflowFrames: number;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function chooseDevice(selector: DeviceSelector, direction: AudioDirection, options: DeviceOptions): Promise<{ id: number; name: string }> {
  const devices = await listAudioDevices(options.backend ? { backend: options.backend } : {});
  const chosen = selectAudioDevice(devices, selector, direction);
  if (!chosen.ok) throw new AudioDeviceNotFoundError(direction, chosen.detail);
  return chosen.value;
}

function openStream(direction: AudioDirection, create: () => NaudiodonStream, name: string): NaudiodonStream {
  try {
    const stream = create();
    stream.start();
    return stream;
  } catch (error) {
    const msg = reason(error);
    if (/no default device/i.test(msg)) {
      throw new AudioDeviceNotFoundError(direction, `no default audio ${direction} device; choose another ${audioSide(direction)} (device:NAME, ${audioAlternatives(direction)})`);
    }
    throw new AudioDeviceError(
      direction,
      `cannot open audio ${direction} device ${name} at 8000 Hz mono 16-bit (${msg}); choose another ${audioSide(direction)} (${audioAlternatives(direction)})`,
      { cause: error },
    );
  }
}

/** How long closing a device may take before it is reported as failed. */
const QUIT_TIMEOUT_MS = 3000;

/**
 * Stops a stream. naudiodon's `abort()` is broken in 2.3.x (it passes the native quit
 * two arguments and throws), so `quit()` is used: it lets at most `maxQueue` frames
 * play out.
 */
function quit(stream: NaudiodonStream, direction: AudioDirection, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new AudioDeviceError(direction, `audio ${direction} device ${name} did not stop within ${QUIT_TIMEOUT_MS} ms`)), QUIT_TIMEOUT_MS);
    try {
      stream.quit(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch (error) {
      clearTimeout(timer);
      reject(new AudioDeviceError(direction, `cannot stop audio ${direction} device ${name} (${reason(error)})`, { cause: error }));
    }
  });
}

/** PortAudio stream settings shared by both directions: mono s16 in frames of one call frame. */
function streamOptions(deviceId: number, format: AudioFormat): NaudiodonStreamOptions {
  return {
    deviceId,
    sampleRate: format.sampleRate,
    channelCount: 1,
    sampleFormat: 16,
    framesPerBuffer: format.samplesPerFrame,
    maxQueue: 4,
    closeOnError: false,
    highwaterMark: format.samplesPerFrame * 2,
  };
}

/**
 * Opens a capture device as a live source: captured audio is buffered into frames;
 * `readFrame()` returns silence while too little has been captured (after priming
 * `prefillFrames`) and the oldest audio is dropped when more than `maxBufferedFrames`
 * wait, so latency stays bounded.
 */
export async function openDeviceSource(selector: DeviceSelector, options: DeviceOptions = {}, format: AudioFormat = CLASSIC_FORMAT): Promise<DeviceAudioSource> {
  const api = await (options.backend ?? loadNaudiodon)();
  const device = await chooseDevice(selector, 'input', options);
  const frameBytes = format.samplesPerFrame * 2;
  const prefill = options.prefillFrames ?? 3;
  const maxBuffered = options.maxBufferedFrames ?? 6;
  const chunks: Uint8Array[] = [];
  let buffered = 0;
  let priming = true;
  let underruns = 0;
  let overflowFrames = 0;
  let open = true;
  let failure: unknown;

  const stream = openStream(
    'input',
    () =>
      api.AudioIO({
        inOptions: streamOptions(device.id, format),
      }),
    device.name,
  );
  stream.on('error', (error: unknown) => {
    failure ??= error;
  });
  stream.on('end', () => {
    if (open) failure ??= new Error('the device stopped capturing');
  });
  stream.on('data', (chunk: Uint8Array) => {
    if (!open) return;
    chunks.push(chunk);
    buffered += chunk.length;
    while (buffered > maxBuffered * frameBytes) {
      // Drop whole frames from the front (sample-aligned: frameBytes is even).
      dropFront(frameBytes);
      overflowFrames++;
    }
  });

  function dropFront(n: number): void {
    let left = n;
    while (left > 0) {
      const head = chunks[0]!;
      if (head.length <= left) {
        chunks.shift();
        left -= head.length;
      } else {
        chunks[0] = head.subarray(left);
        left = 0;
      }
    }
    buffered -= n;
  }

  function take(): Uint8Array {
    const out = new Uint8Array(frameBytes);
    let at = 0;
    while (at < frameBytes) {
      const head = chunks[0]!;
      const n = Math.min(head.length, frameBytes - at);
      out.set(head.subarray(0, n), at);
      at += n;
      if (n === head.length) chunks.shift();
      else chunks[0] = head.subarray(n);
    }
    buffered -= frameBytes;
    return out;
  }

  return {
    format,
    label: `device:${device.name}`,
    get underruns() {
      return underruns;
    },
    get overflowFrames() {
      return overflowFrames;
    },
    readFrame(): Int16Array | null {
      if (!open) return null;
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw new AudioDeviceError('input', `audio input device ${device.name} failed (${reason(error)}); choose another audio input`, { cause: error });
      }
      if (priming && buffered >= prefill * frameBytes) priming = false;
      if (priming || buffered < frameBytes) {
        if (!priming) {
          priming = true;
          underruns++;
        }
        return new Int16Array(format.samplesPerFrame);
      }
      const bytes = take();
      const frame = new Int16Array(format.samplesPerFrame);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < frame.length; i++) frame[i] = view.getInt16(i * 2, true);
      return frame;
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      chunks.length = 0;
      buffered = 0;
      await quit(stream, 'input', device.name);
    },
  };
}

/**
 * Opens a playback device as a sink. The first frame is preceded by `prefillFrames`
 * of silence, a cushion against timer jitter; frames the device has not taken when
 * `maxBufferedFrames` are queued are dropped.
 */
export async function openDeviceSink(selector: DeviceSelector, options: DeviceOptions = {}, format: AudioFormat = CLASSIC_FORMAT): Promise<DeviceAudioSink> {
  const api = await (options.backend ?? loadNaudiodon)();
  const device = await chooseDevice(selector, 'output', options);
  const prefill = options.prefillFrames ?? 2;
  const maxBuffered = options.maxBufferedFrames ?? 6;
  const stream = openStream(
    'output',
    () =>
      api.AudioIO({
        outOptions: streamOptions(device.id, format),
      }),
    device.name,
  );
  let pending = 0;
  let overflowFrames = 0;
  let primed = false;
  let open = true;
  let failure: unknown;
  stream.on('error', (error: unknown) => {
    failure ??= error;
  });
  const label = `device:${device.name}`;

  function push(bytes: Uint8Array): void {
    pending++;
    stream.write!(bytes, (error) => {
      pending--;
      if (error) failure ??= error;
    });
  }

  return {
    format,
    label,
    get overflowFrames() {
      return overflowFrames;
    },
    writeFrame(frame: Int16Array): void {
      if (!open) throw new AudioDeviceError('output', `${label} is closed`);
      assertFrameLength(frame, format, label);
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw new AudioDeviceError('output', `audio output device ${device.name} failed (${reason(error)}); choose another audio output`, { cause: error });
      }
      if (!primed) {
        primed = true;
        for (let i = 0; i < prefill; i++) push(new Uint8Array(frame.length * 2));
      }
      if (pending >= maxBuffered) {
        overflowFrames++;
        return;
      }
      const bytes = new Uint8Array(frame.length * 2);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < frame.length; i++) view.setInt16(i * 2, frame[i]!, true);
      push(bytes);
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      await quit(stream, 'output', device.name);
    },
  };
}
