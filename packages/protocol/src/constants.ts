/** Default TCP port of the directory server (seed report, "Diagrammes des flux"). */
export const DEFAULT_DIRECTORY_PORT = 10000;

/** Default UDP port on which a client waits for calls (seed report, "initialisation"). */
export const DEFAULT_CALL_PORT = 5001;

/** Largest directory message accepted, in bytes of UTF-8 JSON (PROTOCOL.md section 1). */
export const MAX_DIRECTORY_FRAME_BYTES = 64 * 1024;

/**
 * The classic audio format: 16-bit signed little-endian mono PCM at 8000 Hz,
 * 512 samples per datagram, no header (PROTOCOL.md section 2, seed "initialisation").
 */
export const CLASSIC_AUDIO = Object.freeze({
  sampleRate: 8000,
  channels: 1,
  bitsPerSample: 16,
  samplesPerFrame: 512,
  bytesPerFrame: 1024,
  /** 512 samples at 8000 Hz. */
  frameDurationMs: 64,
});

/** A name is 1-32 characters (PROTOCOL.md section 1). */
export const MAX_NAME_LENGTH = 32;

/**
 * The directory protocol version this package speaks: the classic requests plus our
 * extensions (LIST, WATCH, the REG `port`; since 2, REG's `caps` and the `v` and
 * `caps` that GET, LIST and WATCH show v2 askers). A client announces its version as
 * REG's `"v"`; our server answers such a REG with this one, a classic server with none.
 */
export const DIRECTORY_VERSION = 2;
