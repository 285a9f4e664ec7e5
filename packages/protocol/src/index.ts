/**
 * @voip/protocol: sans-IO codecs for the voip directory (TCP JSON) and classic call
 * signalling and audio (UDP). See README.md and docs/protocol.md.
 * @packageDocumentation
 */
export { DEFAULT_DIRECTORY_PORT, DEFAULT_CALL_PORT, MAX_DIRECTORY_FRAME_BYTES, MAX_NAME_LENGTH, CLASSIC_AUDIO, DIRECTORY_VERSION } from './constants.js';
export { ok, fail, type Result } from './result.js';
export { parseHostPort, formatHostPort, type HostPort, type HostPortErrorCode } from './host-port.js';
export { validateName, nameKey, InvalidNameError, type NameErrorCode } from './name.js';
export { createJsonDeframer, type JsonDeframer, type JsonDeframerOptions, type DeframeResult, type DeframeErrorCode } from './json-deframer.js';
export { ACK, REASON } from './directory-texts.js';
export {
  CAPS_MIN_VERSION,
  KEEPALIVE_IDLE_MS,
  KEEPALIVE_MIN_VERSION,
  KEEPALIVE_SILENCE_LIMIT_MS,
  deframeErrorReason,
  decodeDirectoryRequest,
  decodeDirectoryReply,
  encodeDirectoryMessage,
  encodeDirectoryBytes,
  registeredPort,
  requestCommand,
  type DirectoryUser,
  type DirectoryRequest,
  type DirectoryCommand,
  type DirectoryReply,
  type DecodedReply,
  type RequestErrorCode,
  type ReplyErrorCode,
} from './directory-messages.js';
export { decodeDirectoryCaps, DEFAULT_DIRECTORY_CAPS, DIRECTORY_CAPS_LIMITS, type DirectoryCaps, type DirectoryFormat, type DirectoryCapsErrorCode } from './directory-caps.js';
export {
  encodeClassicSignal,
  decodeClassicSignal,
  classifyClassicDatagram,
  decodeClassicPcm,
  encodeClassicPcm,
  ClassicFrameSizeError,
  type ClassicSignal,
  type ClassicDatagram,
  type SignalErrorCode,
} from './classic-signal.js';
