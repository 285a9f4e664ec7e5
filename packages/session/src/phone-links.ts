/** Opens what a phone stands on, in order: its UDP socket, the directory connection, the registration and (on our server) the presence watch. */
import { DEFAULT_CALL_PORT, DEFAULT_DIRECTORY_CAPS, type DirectoryUser } from '@voip/protocol';
import type { Clock } from '@voip/clock';
import { DirectoryClient, DirectoryError } from './directory/directory-client.js';
import { PhoneError } from './errors.js';
import type { PhoneConnectOptions } from './phone-options.js';
import { bindUdpTransport, type UdpTransport } from './transport/udp-transport.js';

/** A phone's open links. */
export interface PhoneLinks {
  readonly transport: UdpTransport;
  readonly directory: DirectoryClient;
  /** The users online from WATCH's first answer; undefined on a classic server. */
  readonly users: DirectoryUser[] | undefined;
}

/**
 * Binds the UDP port, connects to the directory at `server`, registers the name
 * (announcing our directory version), then, only when the server answered with its
 * own version, sends WATCH: a classic server would not survive it. Rejects with a
 * PhoneError ('udp-port-in-use', 'udp-bind-failed', 'server-unreachable',
 * 'name-refused', 'directory-error'); nothing stays open after a failure.
 */
export async function openPhoneLinks(options: PhoneConnectOptions, server: { host: string; port: number }, clock: Clock): Promise<PhoneLinks> {
  const transport = await bindUdpTransport({ port: options.udpPort ?? DEFAULT_CALL_PORT, ...(options.udpHost ? { host: options.udpHost } : {}) });
  let directory: DirectoryClient | undefined;
  try {
    const timeouts = options.directoryTimeoutMs === undefined ? {} : { requestTimeoutMs: options.directoryTimeoutMs, connectTimeoutMs: options.directoryTimeoutMs };
    try {
      directory = await DirectoryClient.connect({ ...server, clock, ...timeouts });
    } catch (error) {
      if (error instanceof DirectoryError) throw new PhoneError('server-unreachable', error.message, { cause: error });
      throw error;
    }
    try {
      // A v2 client announces v 2 and its formats; 'off' registers as the classic client it then is.
      const v2 = (options.secure ?? 'prefer') !== 'off' ? [{ v: 2, caps: DEFAULT_DIRECTORY_CAPS }] : [];
      await directory.register(options.name, transport.local.port, ...v2);
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'name-refused') {
        throw new PhoneError('name-refused', `the directory refused the name ${JSON.stringify(options.name)}${error.reason ? `: ${error.reason}` : ''}`, { cause: error });
      }
      throw new PhoneError('directory-error', `registering ${JSON.stringify(options.name)} failed: ${(error as Error).message}`, { cause: error });
    }
    return { transport, directory, users: await watchIfOurs(directory) };
  } catch (error) {
    directory?.close();
    await transport.close();
    throw error;
  }
}

/** The first presence list of WATCH, sent only to our server; undefined on a classic one. */
async function watchIfOurs(directory: DirectoryClient): Promise<DirectoryUser[] | undefined> {
  if (directory.serverVersion === undefined) return undefined;
  try {
    return await directory.watch();
  } catch (error) {
    if (error instanceof DirectoryError && error.code === 'list-unsupported') return undefined;
    throw new PhoneError('directory-error', `the directory failed after registration: ${(error as Error).message}`, { cause: error });
  }
}
