// Types of the network-namespace lab for tests (netns-lab.mjs).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Capture } from './capture.mjs';
import type { ImpairOptions } from './nft-rules.mjs';

export { NetnsError } from './command.mjs';

/** Path of the UDP listener/sender run inside namespaces (`listen --host H --port P`, `send --to H:P ...`). */
export declare const UDP_PROBE_BIN: string;

/** One namespace of a lab: a host. */
export interface Netns {
  /** The namespace's name (`voiplab-<pid>-<n>-<role>`), for `ip netns exec`. */
  readonly name: string;
  /** The role it was created with (`router`, `alice`...). */
  readonly role: string;
}

/** The addresses and interface names of one veth link made by {@link NetnsLab.link}. */
export interface NetnsLink {
  /** The first host address of the subnet, on `a`'s end. */
  readonly a: string;
  /** The second host address, on `b`'s end. */
  readonly b: string;
  readonly aInterface: string;
  readonly bInterface: string;
}

/** Options of {@link NetnsLab.spawn}. */
export interface NetnsSpawnOptions {
  readonly cwd?: string;
  /** Added to the test's environment. */
  readonly env?: Record<string, string>;
}

/** Options of {@link NetnsLab.exec}. */
export interface NetnsExecOptions {
  /** Written to the command's stdin (e.g. a rule set for `nft -f -`). */
  readonly input?: string;
}

/** Random loss installed by {@link NetnsLab.impair}. */
export interface Impairment {
  /** The nftables table (`inet`) that holds it. */
  readonly table: string;
  /** Packets that matched the rule, and how many of them were dropped. */
  counters(): Promise<{ matched: number; dropped: number }>;
  /** Deletes the table. */
  remove(): Promise<void>;
}

/** A forged source installed by {@link NetnsLab.spoof}. */
export interface Spoof {
  readonly table: string;
  /** Sends each payload as one datagram from the attacker to `to`, `intervalMs` apart (default 1); resolves with the count sent. */
  send(payloads: readonly Uint8Array[], options?: { intervalMs?: number }): Promise<number>;
  /** Datagrams whose source the router rewrote so far. */
  forged(): Promise<number>;
  /** Deletes the rules: the attacker's datagrams keep their own source again. */
  remove(): Promise<void>;
}

/** Options of {@link NetnsLab.spoof}. */
export interface SpoofOptions {
  /** The namespace that forwards between the attacker and the victim's peer, and rewrites the source. */
  readonly router: Netns;
  /** The attacker host, linked to `router`. */
  readonly from: Netns;
  /** The forged source (the victim's address and port). */
  readonly as: { readonly address: string; readonly port: number };
  /** Where the forged datagrams go. */
  readonly to: { readonly address: string; readonly port: number };
}

/** Options of {@link NetnsLab.capture}. */
export interface CaptureOptions {
  /** Default `any`. */
  readonly interface?: string;
  /** A pcap filter; default `udp`. */
  readonly filter?: string;
  /** Where to write; default a file of the lab, deleted when it is disposed. */
  readonly file?: string;
  /** The kernel's capture buffer (tcpdump `-B`), 64 KiB to 1 GiB; default 32 MiB, so that a loaded machine drops nothing (`droppedByKernel`). */
  readonly bufferKiB?: number;
}

/** Deletes namespaces left by labs whose process died; returns their names. */
export declare function sweepOrphanNamespaces(): string[];

/** The first and second host addresses and the prefix length of an IPv4 subnet (`/8` to `/30`). */
export declare function hostAddresses(cidr: string): { first: string; second: string; prefix: number };

/** A test's own set of namespaces; always {@link NetnsLab.dispose} it. */
export declare class NetnsLab {
  /** `<pid>-<n>`, part of each namespace name. */
  readonly id: string;
  /** Sweeps orphans of dead labs, then starts an empty lab. */
  static create(): Promise<NetnsLab>;
  /** Adds a namespace with its loopback up; `role` is 1-12 lowercase letters or digits. */
  namespace(role: string): Promise<Netns>;
  /** Joins two namespaces with a veth pair on `cidr`: `a` gets the first host address, `b` the second. */
  link(a: Netns, b: Netns, cidr: string): Promise<NetnsLink>;
  /** Adds a route in `ns` to `destination` (`default` or a CIDR) via `via`. */
  route(ns: Netns, destination: string, via: string): Promise<void>;
  /** Turns IPv4 forwarding on in `ns`. */
  forwarding(ns: Netns): Promise<void>;
  /** Runs a command in `ns` to completion; resolves with its stdout, rejects with a {@link NetnsError}. */
  exec(ns: Netns, command: string, args?: readonly string[], options?: NetnsExecOptions): Promise<string>;
  /** Drops a share of the UDP (or TCP) passing `ns` at random with nftables; needs `nft` (a NetnsToolMissingError otherwise). */
  impair(ns: Netns, options: ImpairOptions): Promise<Impairment>;
  /** Makes `from`'s UDP datagrams to `to` arrive from the forged source `as`, rewritten in `router`; needs `nft`. */
  spoof(options: SpoofOptions): Promise<Spoof>;
  /** Starts tcpdump in `ns`; resolves once it captures. Needs `tcpdump`. */
  capture(ns: Netns, options?: CaptureOptions): Promise<Capture>;
  /** Starts a command in `ns` as its own process group with piped stdio; killed by {@link NetnsLab.dispose}. */
  spawn(ns: Netns, command: string, args?: readonly string[], options?: NetnsSpawnOptions): ChildProcessWithoutNullStreams;
  /** The lab's namespaces, in creation order. */
  readonly namespaces: Netns[];
  /** Kills every process in the lab, deletes its namespaces, and waits for the processes it started to exit. */
  dispose(): Promise<void>;
  /** The same without waiting (used on process exit). */
  disposeSync(): void;
}
