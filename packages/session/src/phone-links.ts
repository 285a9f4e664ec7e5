/** Opens what a phone stands on, in order: its UDP socket, then its directory (registered, and watching on our server). */
import { DEFAULT_CALL_PORT, type DirectoryUser } from '@voip/protocol';
import type { Clock } from '@voip/clock';
import type { PhoneConnectOptions } from './phone-options.js';
import { PhoneDirectory, type DirectoryServer } from './phone-directory.js';
import { bindUdpTransport, type UdpTransport } from './transport/udp-transport.js';

/** A phone's open links. */
export interface PhoneLinks {
  readonly transport: UdpTransport;
  readonly directory: PhoneDirectory;
  /** The users online from WATCH's first answer; undefined on a classic server. */
  readonly users: DirectoryUser[] | undefined;
}

/**
 * Binds the UDP port, then opens the directory on the first of `servers` that
 * answers ({@link PhoneDirectory.open}: registers the name announcing our directory
 * version, and sends WATCH only when the server answered with its own version).
 * Rejects with a PhoneError ('udp-port-in-use', 'udp-bind-failed',
 * 'server-unreachable', 'name-refused', 'directory-error'); nothing stays open after
 * a failure.
 */
export async function openPhoneLinks(options: PhoneConnectOptions, servers: readonly DirectoryServer[], clock: Clock): Promise<PhoneLinks> {
  const transport = await bindUdpTransport({ port: options.udpPort ?? DEFAULT_CALL_PORT, ...(options.udpHost ? { host: options.udpHost } : {}) });
  try {
    const { directory, users } = await PhoneDirectory.open({
      servers,
      name: options.name,
      udpPort: transport.local.port,
      secure: options.secure ?? 'prefer',
      clock,
      ...(options.directoryTimeoutMs === undefined ? {} : { timeoutMs: options.directoryTimeoutMs }),
    });
    return { transport, directory, users };
  } catch (error) {
    await transport.close();
    throw error;
  }
}
