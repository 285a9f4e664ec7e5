/** The shape of PCM audio moving through a call: mono signed 16-bit samples. */
export interface AudioFormat {
  /** Samples per second; the classic format is 8000. */
  readonly sampleRate: number;
  /** Samples in one frame (one datagram); the classic format is 512. */
  readonly samplesPerFrame: number;
}

/**
 * Where call audio comes from: a microphone, a WAV file, a tone, silence.
 * Pull-based: the pump asks for one frame per frame period.
 */
export interface AudioSource {
  readonly format: AudioFormat;
  /** A short human description, e.g. `wav:/tmp/a.wav` or `device:pulse`. */
  readonly label: string;
  /**
   * The next frame of exactly `format.samplesPerFrame` samples. A live source with
   * nothing captured yet returns silence; a finite source that has run out returns
   * null (and keeps returning null). The frame is the caller's: a source returns a new
   * array each time and never touches it afterwards (a call sends it without a copy).
   */
  readFrame(): Int16Array | null;
  /** Stops capturing and releases the device or file. Idempotent. */
  close(): Promise<void>;
}

/** Where call audio goes: a speaker, a WAV file, nowhere. */
export interface AudioSink {
  readonly format: AudioFormat;
  readonly label: string;
  /** Plays or stores one frame of `format.samplesPerFrame` samples. */
  writeFrame(frame: Int16Array): void;
  /** Flushes (a WAV sink writes its final header) and releases. Idempotent. */
  close(): Promise<void>;
}
