/**
 * The one file that touches `@voip/session`: connects a real Phone and turns its
 * errors into the client's typed results and sentences.
 */
import { CallFailedError, Phone, PhoneError, type PhoneConnectOptions } from '@voip/session';
import type { CallFailure, ConnectPhone, ConnectRequest } from './phone-contract.js';
import { splitServers } from './validate.js';

/** Connects a phone to the directory; expected failures come back as results. */
export const connectPhone: ConnectPhone = async (request) => {
  try {
    const options: PhoneConnectOptions = {
      servers: splitServers(request.server),
      name: request.name,
      udpPort: request.udpPort,
      audio: { input: request.audioIn, output: request.audioOut },
      ringTimeoutMs: request.ringTimeoutMs,
      silenceTimeoutMs: request.silenceTimeoutMs,
      ...(request.ringtone ? { ringtone: true } : {}),
      secure: request.secure,
    };
    const phone = await Phone.connect(options);
    return { ok: true, value: phone };
  } catch (error) {
    if (error instanceof PhoneError) return { ok: false, code: error.code, detail: describeConnectError(error.code, error.message, request) };
    throw error;
  }
};

/** The sentence for a connect failure, saying what to do when the user can act. */
export function describeConnectError(code: string, message: string, request: Pick<ConnectRequest, 'udpPort' | 'server'>): string {
  switch (code) {
    case 'udp-port-in-use':
      return `UDP port ${request.udpPort} is already in use: is another client running? try --udp-port`;
    case 'server-unreachable':
      return message.startsWith('cannot reach') ? message : `cannot reach the directory at ${request.server}: ${message}`;
    default:
      return message;
  }
}

/** Says how a rejected `phone.call()` failed. */
export function describeCallError(error: unknown): CallFailure {
  if (error instanceof CallFailedError) return { kind: 'ended', reason: error.reason, ...(error.detail !== undefined ? { detail: error.detail } : {}) };
  if (error instanceof PhoneError) return { kind: 'refused', code: error.code, message: error.message };
  return { kind: 'refused', code: 'error', message: error instanceof Error ? error.message : String(error) };
}
