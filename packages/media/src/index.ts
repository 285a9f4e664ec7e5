/** @voip/media: the audio of a voip call (sources and sinks from spec strings, call media, ring tone), as an app or bot embeds it. */
export type { AudioFormat, AudioSource, AudioSink } from './audio-port.js';
export { CLASSIC_FORMAT } from './generators.js';
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
export { parseAudioSpec, type AudioSpec, type AudioSpecErrorCode, type DeviceSelector } from './audio-spec.js';
export { openAudioSource, openAudioSink, type OpenAudioOptions } from './open-audio.js';
export { listAudioDevices, type AudioDeviceInfo } from './naudiodon-backend.js';
export { createCallMedia, type CallMedia, type CallMediaOptions, type MediaStats } from './call-media.js';
export { createSecureCallMedia, MediaKeyExhaustedError, type SecureCallMediaOptions, type V2MediaParams } from './secure-call-media.js';
export { Reframer, reframeSource, reframeSink } from './reframer.js';
export { ETSI_RING_CADENCE, type RingCadence } from './ring-tone.js';
export { startRingTone, type RingTone, type StartRingToneOptions } from './ring-player.js';
