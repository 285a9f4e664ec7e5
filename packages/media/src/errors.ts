/** Which side of the audio path an error concerns: an app maps it to its own setting (a flag, a field). */
export type AudioDirection = 'input' | 'output';

/** How messages name the audio of a direction (never an app's flag: that is the app's wording). */
export function audioSide(direction: AudioDirection): 'audio input' | 'audio output' {
  return direction === 'input' ? 'audio input' : 'audio output';
}

/** The alternatives a user can pick instead of a device, for error messages. */
export function audioAlternatives(direction: AudioDirection): string {
  return direction === 'input' ? 'wav:PATH, tone, silence' : 'wav:PATH, null';
}

/** Stable codes of {@link AudioError}. */
export type AudioErrorCode =
  'bad-audio-spec' | 'wav-unreadable' | 'wav-format' | 'wav-unwritable' | 'audio-backend-missing' | 'audio-device-not-found' | 'audio-device-failed' | 'audio-format-mismatch';

/** Base class of every audio error: `code` is for programs, `message` tells the user what to do. */
export class AudioError extends Error {
  override name = 'AudioError';
  readonly code: AudioErrorCode;

  constructor(code: AudioErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An audio spec string (input or output) that does not parse. */
export class AudioSpecError extends AudioError {
  override name = 'AudioSpecError';
  constructor(
    readonly spec: string,
    readonly direction: AudioDirection,
    detail: string,
  ) {
    super('bad-audio-spec', detail);
  }
}

/** A WAV file that cannot be opened or read. */
export class WavUnreadableError extends AudioError {
  override name = 'WavUnreadableError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('wav-unreadable', message, options);
  }
}

/** A WAV file in a format other than 8000 Hz mono signed 16-bit PCM, or a malformed one. */
export class WavFormatError extends AudioError {
  override name = 'WavFormatError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('wav-format', message);
  }
}

/** A WAV file that cannot be created or written. */
export class WavWriteError extends AudioError {
  override name = 'WavWriteError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('wav-unwritable', message, options);
  }
}

/** naudiodon (the optional audio device backend) is not installed or does not load. */
export class AudioBackendMissingError extends AudioError {
  override name = 'AudioBackendMissingError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('audio-backend-missing', message, options);
  }
}

/** No audio device matches the request (or there is no device at all). */
export class AudioDeviceNotFoundError extends AudioError {
  override name = 'AudioDeviceNotFoundError';
  constructor(
    readonly direction: AudioDirection,
    message: string,
  ) {
    super('audio-device-not-found', message);
  }
}

/** The device exists but could not be opened or started. */
export class AudioDeviceError extends AudioError {
  override name = 'AudioDeviceError';
  constructor(
    readonly direction: AudioDirection,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('audio-device-failed', message, options);
  }
}

/** A source or sink whose format is not the classic 8000 Hz, 512-sample frame. */
export class AudioFormatMismatchError extends AudioError {
  override name = 'AudioFormatMismatchError';
  constructor(message: string) {
    super('audio-format-mismatch', message);
  }
}
