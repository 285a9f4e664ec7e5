// A test's own small network of Linux network namespaces (hosts, veth links, routes,
// processes inside), torn down completely afterwards. Needs root and iproute2.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Every namespace a lab makes is called `voiplab-<pid>-<lab>-<role>`, so orphans can be found. */
const PREFIX = 'voiplab-';
const ROLE = /^[a-z][a-z0-9]{0,11}$/;
const live = new Set();
let labs = 0;

/** A failed `ip` (or other) command run for the lab, with its stderr. */
export class NetnsError extends Error {
  name = 'NetnsError';
  code = 'netns-command-failed';
  constructor(message, command, stderr) {
    super(message);
    this.command = command;
    this.stderr = stderr;
  }
}

async function sh(command, args) {
  try {
    return (await run(command, args, { encoding: 'utf8' })).stdout;
  } catch (error) {
    throw new NetnsError(`${command} ${args.join(' ')} failed: ${(error.stderr || error.message).trim()}`, [command, ...args], error.stderr ?? '');
  }
}

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
    return { a: first, b: second, aInterface: aIf, bInterface: bIf };
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

  /** Runs a command inside `ns` to completion (e.g. `nft -f -` later); resolves with its stdout. */
  exec(ns, command, args = []) {
    return sh('ip', ['netns', 'exec', ns.name, command, ...args]);
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
  }
}
