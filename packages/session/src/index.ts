/**
 * @voip/session: a voip phone. `Phone.connect` registers a name in a directory, waits
 * for calls on a UDP port and calls other users by name (classic form). See README.md.
 * @packageDocumentation
 */
export { Phone, type PhoneConnectOptions } from './phone.js';
export { PhoneError, CallFailedError, type PhoneErrorCode } from './errors.js';
export type {
  CallState,
  EndReason,
  CallEnd,
  PhoneOptions,
  CallStats,
  PhoneEvents,
  PhoneApi,
  SecureMode,
  CallProtocol,
  CallDirection,
  DirectoryServerOption,
} from './phone-types.js';
export type { MediaFactory, MediaFactoryOptions, CallMediaPort, MediaFigures } from './call-audio.js';
export type { V2MediaParams } from './v2/v2-types.js';
