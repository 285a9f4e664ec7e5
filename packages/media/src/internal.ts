/** @voip/media/internal: the building blocks behind the public API, for this workspace's tests, benchmarks and @voip/session; no stability promised. */
export { audioSpecHelp, DEFAULT_TONE_HZ } from './audio-spec.js';
export { TONE_AMPLITUDE, createToneSource, createSilenceSource, createNullSink } from './generators.js';
export { openWavSource, openWavSink } from './wav-file.js';
export { parseWavHeader, encodeWavHeader, type WavInfo } from './wav-header.js';
export type { AudioBackendLoader, NaudiodonModule } from './naudiodon-backend.js';
export type { DeviceOptions, DeviceAudioSource, DeviceAudioSink } from './device-io.js';
export { levelDbfs } from './level.js';
export type { LatenessStats } from './lateness.js';
export { createFramePump, type FramePump, type FramePumpOptions } from './frame-pump.js';
export { createRingToneSource, type RingToneSourceOptions } from './ring-tone.js';
export { JitterBuffer, REORDER_WINDOW } from './jitter/jitter-buffer.js';
export { Concealer } from './jitter/concealer.js';
export { JitterBufferError, type JitterBufferOptions, type JitterStats, type MediaPacket, type PlayoutFrame, type PutOutcome, type FrameKind } from './jitter/jitter-types.js';
export { encodeL16, decodeL16, decodeL16InPlace } from './l16.js';
