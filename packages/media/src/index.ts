export type { AudioFormat, AudioSource, AudioSink } from './audio-port.js';
export {
  AudioError,
  AudioSpecError,
  WavUnreadableError,
  WavFormatError,
  WavWriteError,
  AudioBackendMissingError,
  AudioDeviceNotFoundError,
  AudioDeviceError,
  AudioFormatMismatchError,
  type AudioErrorCode,
  type AudioDirection,
} from './errors.js';
export {
  parseAudioSpec,
  audioSpecHelp,
  DEFAULT_TONE_HZ,
  type AudioSpec,
  type AudioSpecErrorCode,
  type DeviceSelector,
} from './audio-spec.js';
export { openAudioSource, openAudioSink, type OpenAudioOptions } from './open-audio.js';
export { CLASSIC_FORMAT, TONE_AMPLITUDE, createToneSource, createSilenceSource, createNullSink } from './generators.js';
export { openWavSource, openWavSink } from './wav-file.js';
export { parseWavHeader, encodeWavHeader, type WavInfo } from './wav-header.js';
export { listAudioDevices, type AudioDeviceInfo, type AudioBackendLoader, type NaudiodonModule } from './naudiodon-backend.js';
export type { DeviceOptions, DeviceAudioSource, DeviceAudioSink } from './device-io.js';
export { levelDbfs } from './level.js';
export type { LatenessStats } from './lateness.js';
export { createFramePump, type FramePump, type FramePumpOptions } from './frame-pump.js';
export { createCallMedia, type CallMedia, type CallMediaOptions, type MediaStats } from './call-media.js';
export { ETSI_RING_CADENCE, createRingToneSource, type RingCadence, type RingToneSourceOptions } from './ring-tone.js';
export { startRingTone, type RingTone, type StartRingToneOptions } from './ring-player.js';
