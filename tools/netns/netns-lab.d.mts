// Types of the network-namespace lab for tests (netns-lab.mjs).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** A failed command run for the lab, with its stderr. */
export declare class NetnsError extends Error {
  readonly name: 'NetnsError';
  readonly code: 'netns-command-failed';
  /** The command and its arguments. */
  readonly command: readonly string[];
  readonly stderr: string;
}

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
  exec(ns: Netns, command: string, args?: readonly string[]): Promise<string>;
  /** Starts a command in `ns` as its own process group with piped stdio; killed by {@link NetnsLab.dispose}. */
  spawn(ns: Netns, command: string, args?: readonly string[], options?: NetnsSpawnOptions): ChildProcessWithoutNullStreams;
  /** The lab's namespaces, in creation order. */
  readonly namespaces: Netns[];
  /** Kills every process in the lab, deletes its namespaces, and waits for the processes it started to exit. */
  dispose(): Promise<void>;
  /** The same without waiting (used on process exit). */
  disposeSync(): void;
}
