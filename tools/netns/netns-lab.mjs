// A test's own small network of Linux network namespaces (hosts, veth links, routes,
// processes inside, nftables impairment and spoofing, packet captures), torn down
// completely afterwards. Needs root and iproute2 (nftables and tcpdump for those parts).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCapture } from './capture.mjs';
import { sh } from './command.mjs';
import { impairRuleset, spoofRuleset } from './nft-rules.mjs';
import { requireTool } from './require-tool.mjs';

export { NetnsError } from './command.mjs';

/** The UDP sender and listener that runs inside namespaces (see udp-probe.mjs). */
export const UDP_PROBE_BIN = fileURLToPath(new URL('./udp-probe.mjs', import.meta.url));

/** Every namespace a lab makes is called `voiplab-<pid>-<lab>-<role>`, so orphans can be found. */
const PREFIX = 'voiplab-';
const ROLE = /^[a-z][a-z0-9]{0,11}$/;
const live = new Set();
let labs = 0;

/** Names of every namespace on the machine. */
function namespaceNames() {
  let out = '';
  try {
    out = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  return out
    .split('\n')
    .map((line) => line.split(' ')[0])
    .filter(Boolean);
}

/** Kills what runs in a namespace and deletes it, synchronously (also usable from an `exit` hook). */
function destroyNamespaceSync(name) {
  let pids = '';
  try {
    pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // Already gone.
  }
  for (const pid of pids.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
  } catch {
    // Already gone.
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Deletes the namespaces left by labs whose process died without cleaning up (SIGKILL, crash). */
export function sweepOrphanNamespaces() {
  const swept = [];
  for (const name of namespaceNames()) {
    const m = /^voiplab-(\d+)-/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    destroyNamespaceSync(name);
    swept.push(name);
  }
  return swept;
}

process.once('exit', () => {
  for (const lab of live) lab.disposeSync();
});

/** The first and second host addresses of an IPv4 subnet such as `10.77.1.0/24`. */
export function hostAddresses(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  const bits = m ? Number(m[5]) : NaN;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || !(bits >= 8 && bits <= 30)) throw new TypeError(`not an IPv4 subnet of /8 to /30: ${cidr}`);
  const base = (m.slice(1, 5).reduce((n, o) => n * 256 + Number(o), 0) & (~0 << (32 - bits))) >>> 0;
  const dotted = (n) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { first: dotted(base + 1), second: dotted(base + 2), prefix: bits };
}

/**
 * A set of namespaces that live as long as one test. Make one with
 * {@link NetnsLab.create}, add hosts and links, start processes inside, and always
 * call {@link NetnsLab.dispose} (after each test): it kills every process in its
 * namespaces and deletes them. A lab the process forgot is deleted on exit, and one
 * left by a killed process by the next {@link NetnsLab.create}.
 */
export class NetnsLab {
  #namespaces = [];
  #children = new Set();
  #links = [];
  #rules = 0;
  #tmp = null;

  constructor(id) {
    /** `<pid>-<n>`: part of every namespace name of this lab. */
    this.id = id;
  }

  /** Sweeps orphans of dead labs, then starts an empty lab. */
  static async create() {
    sweepOrphanNamespaces();
    const lab = new NetnsLab(`${process.pid}-${++labs}`);
    live.add(lab);
    return lab;
  }

  /** Adds a namespace (a host) with its loopback up. `role` is 1-12 lowercase letters or digits. */
  async namespace(role) {
    if (!ROLE.test(role)) throw new TypeError(`namespace role must match ${ROLE}: ${role}`);
    const name = `${PREFIX}${this.id}-${role}`;
    if (this.#namespaces.some((ns) => ns.name === name)) throw new TypeError(`namespace ${role} exists already in this lab`);
    await sh('ip', ['netns', 'add', name]);
    const ns = { name, role };
    this.#namespaces.push(ns);
    await this.exec(ns, 'ip', ['link', 'set', 'lo', 'up']);
    return ns;
  }

  /**
   * Joins two namespaces with a veth pair on `cidr`: `a` gets its first host address
   * and `b` the second. The ends are named after the other side (`to-<role>`).
   */
  async link(a, b, cidr) {
    const { first, second, prefix } = hostAddresses(cidr);
    const aIf = `to-${b.role}`.slice(0, 15);
    const bIf = `to-${a.role}`.slice(0, 15);
    await sh('ip', ['-n', a.name, 'link', 'add', aIf, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
    await this.exec(a, 'ip', ['addr', 'add', `${first}/${prefix}`, 'dev', aIf]);
    await this.exec(b, 'ip', ['addr', 'add', `${second}/${prefix}`, 'dev', bIf]);
    await this.exec(a, 'ip', ['link', 'set', aIf, 'up']);
    await this.exec(b, 'ip', ['link', 'set', bIf, 'up']);
    const link = { a: first, b: second, aInterface: aIf, bInterface: bIf };
    this.#links.push({ ...link, aName: a.name, bName: b.name });
    return link;
  }

  /** Adds a route in `ns` to `destination` (`default` or a CIDR) via the gateway address `via`. */
  async route(ns, destination, via) {
    await this.exec(ns, 'ip', ['route', 'add', destination, 'via', via]);
  }

  /** Turns IPv4 forwarding on in `ns` (a router). */
  async forwarding(ns) {
    // /proc/sys/net is the namespace's own inside it; sh needs no sysctl (procps) installed.
    await this.exec(ns, 'sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward']);
  }

  /** Runs a command inside `ns` to completion, `options.input` on its stdin (e.g. `nft -f -`); resolves with its stdout. */
  exec(ns, command, args = [], options = {}) {
    return sh('ip', ['netns', 'exec', ns.name, command, ...args], options.input);
  }

  /** Loads an nftables rule set into `ns` and returns its table's name, for counters and removal. */
  async #nft(ns, build) {
    requireTool('nft');
    const table = `voiplab${++this.#rules}`;
    await this.exec(ns, 'nft', ['-f', '-'], { input: build(table) });
    const counters = async () => {
      const out = JSON.parse(await this.exec(ns, 'nft', ['-j', 'list', 'table', 'inet', table]));
      const named = {};
      for (const item of out.nftables) {
        if (!item.rule) continue;
        const comment = item.rule.comment;
        const counter = item.rule.expr.find((e) => e.counter)?.counter;
        if (comment && counter) named[comment] = counter.packets;
      }
      return named;
    };
    const remove = () => this.exec(ns, 'nft', ['delete', 'table', 'inet', table]).then(() => undefined);
    return { table, counters, remove };
  }

  /**
   * Drops `dropPercent` % of the packets of `protocol` (UDP) that pass `ns` at random
   * (nftables `numgen random`), in its forward hook by default (a router): each way,
   * or only from or to an address or subnet given in `direction`.
   */
  async impair(ns, options) {
    const { table, counters, remove } = await this.#nft(ns, (name) => impairRuleset(name, options));
    return {
      table,
      remove,
      async counters() {
        const c = await counters();
        return { matched: c.matched ?? 0, dropped: c.dropped ?? 0 };
      },
    };
  }

  /** The link that joins `a` and `b` (either way round): `{ near, far }` addresses and `near`'s interface, seen from `a`. */
  #between(a, b) {
    for (const l of this.#links) {
      if (l.aName === a.name && l.bName === b.name) return { near: l.a, far: l.b, interface: l.aInterface };
      if (l.bName === a.name && l.aName === b.name) return { near: l.b, far: l.a, interface: l.bInterface };
    }
    throw new TypeError(`no link between ${a.role} and ${b.role}`);
  }

  /**
   * Makes the UDP datagrams that `from` (an attacker host linked to `router`) sends to
   * `to` arrive there from the forged source `as`: `router` rewrites their source
   * address and port statelessly (untracked, so a real flow between the two is left alone).
   * `send` sends payloads from `from`; each is one datagram.
   */
  async spoof({ router, from, as, to }) {
    const link = this.#between(router, from);
    const rules = await this.#nft(router, (name) => spoofRuleset(name, { interface: link.interface, as, to }));
    return {
      table: rules.table,
      remove: rules.remove,
      async forged() {
        return (await rules.counters()).forged ?? 0;
      },
      send: async (payloads, options = {}) => {
        const input = payloads.map((p) => Buffer.from(p).toString('base64')).join('\n');
        const out = await this.exec(from, process.execPath, [UDP_PROBE_BIN, 'send', '--to', `${to.address}:${to.port}`, '--interval-ms', String(options.intervalMs ?? 1)], {
          input,
        });
        return JSON.parse(out).sent;
      },
    };
  }

  /**
   * Starts `tcpdump` in `ns` writing a capture of `filter` (default `udp`) on `interface`
   * (default `any`) to `file` (default a file of the lab, deleted with it), with a kernel
   * buffer of `bufferKiB` (default 32 MiB: tcpdump's 2 MiB lost packets on a loaded
   * machine); resolves once it captures. `stop()` ends it and reads the UDP datagrams it holds.
   */
  async capture(ns, options = {}) {
    requireTool('tcpdump');
    this.#tmp ??= mkdtempSync(join(tmpdir(), `voiplab-${this.id}-`));
    const file = options.file ?? join(this.#tmp, `capture-${++this.#rules}.pcap`);
    const bufferKiB = options.bufferKiB ?? 32768;
    if (!(Number.isInteger(bufferKiB) && bufferKiB >= 64 && bufferKiB <= 1048576)) throw new TypeError(`bufferKiB must be an integer from 64 to 1048576, got ${bufferKiB}`);
    const child = this.spawn(ns, 'tcpdump', [
      '-Z',
      'root',
      '-U',
      '--immediate-mode',
      '-B',
      String(bufferKiB),
      '-n',
      '-i',
      options.interface ?? 'any',
      '-w',
      file,
      options.filter ?? 'udp',
    ]);
    return startCapture(child, file);
  }

  /**
   * Starts a long-running command inside `ns` as its own process group, stdio piped.
   * It is killed by {@link NetnsLab.dispose} if still running.
   */
  spawn(ns, command, args = [], options = {}) {
    const child = spawn('ip', ['netns', 'exec', ns.name, command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdin.on('error', () => {});
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** The namespaces of this lab (name and role), in creation order. */
  get namespaces() {
    return this.#namespaces.map(({ name, role }) => ({ name, role }));
  }

  /** Kills every process started in the lab and deletes its namespaces; waits for the processes to exit. */
  async dispose() {
    const exits = [...this.#children].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', resolve))));
    this.disposeSync();
    await Promise.all(exits);
  }

  /** {@link NetnsLab.dispose} without waiting for exits. */
  disposeSync() {
    live.delete(this);
    for (const child of this.#children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is gone already.
      }
    }
    for (const ns of this.#namespaces.splice(0).reverse()) destroyNamespaceSync(ns.name);
    this.#links = [];
    if (this.#tmp) rmSync(this.#tmp, { recursive: true, force: true });
    this.#tmp = null;
  }
}
