/**
 * The v2 wire core of @voip/protocol: demultiplexing, signalling messages, the
 * ZRTP-style key agreement, sealed signalling and SRTP-like media. Pure: no sockets,
 * no timers, randomness injected. See docs/v2-wire.md.
 * @packageDocumentation
 */
export { systemRandom, toHex, type RandomBytes } from './bytes.js';
export { V2EncodeError } from './encode-error.js';
export {
  classifyV2Datagram,
  V2_SIGNAL_MARKER,
  V2_SIGNAL_VERSION,
  V2_SIGNAL_HEADER_BYTES,
  MAX_V2_SIGNAL_BYTES,
  RTP_FIRST_BYTE,
  RTP_HEADER_BYTES,
  AEAD_TAG_BYTES,
  CLASSIC_AUDIO_BYTES,
  type V2DatagramKind,
} from './demux.js';
export { V2_CODEC, DEFAULT_V2_CAPS, MAX_FORMATS, MAX_FRAME_SIZES, encodeCaps, negotiateFormat, type MediaFormat, type ChosenFormat } from './caps.js';
export {
  V2_SIGNAL_TYPE,
  CALL_ID_BYTES,
  PUBLIC_KEY_BYTES,
  COMMITMENT_BYTES,
  encodeV2Signal,
  decodeV2Signal,
  peekV2SignalHeader,
  type V2Signal,
  type V2SignalType,
  type V2SignalHeader,
  type V2SignalErrorCode,
} from './signal-message.js';
export { SignalSealer, sealV2Signal, openV2Signal, MAX_SIGNAL_MESSAGE_ID, type SignalSealErrorCode } from './signal-seal.js';
export {
  createCallId,
  createKeyPair,
  commit,
  verifyCommitment,
  transcriptHash,
  deriveCallKeys,
  type KeyPair,
  type Transcript,
  type DirectionKey,
  type CallKeys,
  type CallRole,
  type KeyAgreementErrorCode,
} from './key-agreement.js';
export { SAS_ALPHABET, SAS_BITS, renderSas } from './sas.js';
export { ReplayWindow, DEFAULT_REPLAY_WINDOW, type ReplayVerdict } from './replay-window.js';
export { encodeRtpHeader, decodeRtpHeader, type RtpHeader, type RtpPacket, type RtpHeaderErrorCode } from './rtp.js';
export {
  MediaSealer,
  openMedia,
  createMediaReceiver,
  estimatePacketIndex,
  srtpIv,
  randomMediaStart,
  MAX_PACKET_INDEX,
  type MediaSealerOptions,
  type MediaFrame,
  type SealedMedia,
  type MediaReceiver,
  type OpenedMedia,
  type MediaOpenErrorCode,
} from './srtp.js';
