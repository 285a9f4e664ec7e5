/** Opening the source or sink an audio spec string names. */
import type { AudioSink, AudioSource } from './audio-port.js';
import { parseAudioSpec } from './audio-spec.js';
import { openDeviceSink, openDeviceSource, type DeviceOptions } from './device-io.js';
import { AudioSpecError } from './errors.js';
import { createNullSink, createSilenceSource, createToneSource } from './generators.js';
import { openWavSink, openWavSource } from './wav-file.js';

/** Options of {@link openAudioSource} and {@link openAudioSink}. */
export type OpenAudioOptions = DeviceOptions;

/**
 * Opens the audio input named by an input spec: `device`, `device:NAME`,
 * `device:INDEX`, `wav:PATH`, `tone`, `tone:HZ` or `silence`. Throws an
 * {@link AudioError} subclass whose message says what to do.
 */
export async function openAudioSource(spec: string, options: OpenAudioOptions = {}): Promise<AudioSource> {
  const parsed = parseAudioSpec(spec, 'input');
  if (!parsed.ok) throw new AudioSpecError(spec, 'input', parsed.detail);
  const s = parsed.value;
  switch (s.kind) {
    case 'device':
      return openDeviceSource(s.device, options);
    case 'wav':
      return openWavSource(s.path);
    case 'tone':
      return createToneSource(s.frequencyHz);
    case 'silence':
      return createSilenceSource();
    case 'null':
      throw new AudioSpecError(spec, 'input', 'null is an output');
  }
}

/**
 * Opens the audio output named by an output spec: `device`, `device:NAME`,
 * `device:INDEX`, `wav:PATH` or `null`. Throws an {@link AudioError} subclass whose
 * message says what to do.
 */
export async function openAudioSink(spec: string, options: OpenAudioOptions = {}): Promise<AudioSink> {
  const parsed = parseAudioSpec(spec, 'output');
  if (!parsed.ok) throw new AudioSpecError(spec, 'output', parsed.detail);
  const s = parsed.value;
  switch (s.kind) {
    case 'device':
      return openDeviceSink(s.device, options);
    case 'wav':
      return openWavSink(s.path);
    case 'null':
      return createNullSink();
    case 'tone':
    case 'silence':
      throw new AudioSpecError(spec, 'output', `${s.kind} is an input`);
  }
}
