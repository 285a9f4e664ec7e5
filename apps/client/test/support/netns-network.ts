/**
 * The network of the namespace end-to-end tests: a router namespace running a directory
 * server (ours or the classic double) and routing between host namespaces alice
 * (10.77.1.2) and bob (10.77.2.2), optionally an attacker (10.77.3.2) linked to the
 * router; and our real client started inside a host. Needs root.
 */
import { CLASSIC_SERVER_BIN, NetnsLab, type Netns, type NetnsLink } from '@voip/tools';
import { CLIENT_BIN, ManagedProcess, SERVER_BIN, waitFor } from './processes.js';
import { clientArgs, START_TIMEOUT_MS, type ClientOptions } from './voip.js';

/** The directory's TCP port on the router. */
export const DIRECTORY_PORT = 10000;

/** The hosts of a {@link CallNetwork}. */
export type HostName = 'alice' | 'bob';

/** A router, two client hosts and (optionally) an attacker host, with the directory running. */
export interface CallNetwork {
  readonly lab: NetnsLab;
  readonly router: Netns;
  readonly hosts: Record<HostName, Netns>;
  /** Each host's link to the router (`a` is the router's end, `b` the host's). */
  readonly links: Record<HostName, NetnsLink>;
  /** Present when asked for: a host linked to the router only, for forged datagrams. */
  readonly attacker?: { readonly ns: Netns; readonly link: NetnsLink };
  /** The directory server's process. */
  readonly server: ManagedProcess;
  /** `HOST:PORT` of the directory, for `--server`. */
  readonly serverAddress: string;
  /** Each host's address. */
  readonly ips: Record<HostName, string>;
}

/** Options of {@link createCallNetwork}. */
export interface CallNetworkOptions {
  /** `voip`: our directory server (`voip-server --log json`); `classic`: the classic double of the reference server. */
  readonly server: 'voip' | 'classic';
  /** Adds the attacker host. */
  readonly attacker?: boolean;
}

/** Builds the network in a fresh lab and starts the directory on the router; dispose of `lab` after the test. */
export async function createCallNetwork(options: CallNetworkOptions): Promise<CallNetwork> {
  const lab = await NetnsLab.create();
  try {
    const router = await lab.namespace('router');
    const hosts: Record<HostName, Netns> = { alice: await lab.namespace('alice'), bob: await lab.namespace('bob') };
    const links: Record<HostName, NetnsLink> = { alice: await lab.link(router, hosts.alice, '10.77.1.0/24'), bob: await lab.link(router, hosts.bob, '10.77.2.0/24') };
    await lab.route(hosts.alice, 'default', links.alice.a);
    await lab.route(hosts.bob, 'default', links.bob.a);
    let attacker: CallNetwork['attacker'];
    if (options.attacker) {
      const ns = await lab.namespace('attacker');
      const link = await lab.link(router, ns, '10.77.3.0/24');
      await lab.route(ns, 'default', link.a);
      attacker = { ns, link };
    }
    await lab.forwarding(router);
    const host = links.alice.a;
    const port = String(DIRECTORY_PORT);
    const args =
      options.server === 'classic'
        ? [CLASSIC_SERVER_BIN, '--host', host, '--port', port]
        : [SERVER_BIN, '--no-tui', '--host', host, '--port', port, '--db', 'memory', '--log', 'json'];
    const server = new ManagedProcess(`${options.server} server`, lab.spawn(router, process.execPath, args, { env: { FORCE_COLOR: '0', NO_COLOR: '1' } }));
    await waitFor(server, 'listening', { port: DIRECTORY_PORT }, START_TIMEOUT_MS);
    return {
      lab,
      router,
      hosts,
      links,
      ...(attacker ? { attacker } : {}),
      server,
      serverAddress: `${host}:${DIRECTORY_PORT}`,
      ips: { alice: links.alice.b, bob: links.bob.b },
    };
  } catch (error) {
    await lab.dispose();
    throw error;
  }
}

/** Starts our client (`--no-tui`, no call history) in `ns`; the lab kills it when disposed. */
export function startClientIn(lab: NetnsLab, ns: Netns, options: ClientOptions & { readonly udpPort: number }): ManagedProcess {
  const args = clientArgs({ ...options, extraArgs: ['--no-history', ...(options.extraArgs ?? [])] });
  return new ManagedProcess(`client ${options.name}`, lab.spawn(ns, process.execPath, [CLIENT_BIN, ...args], { env: { FORCE_COLOR: '0', NO_COLOR: '1', ...options.env } }));
}
