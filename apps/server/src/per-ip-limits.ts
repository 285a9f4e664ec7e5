/** The per-address connection caps: all connections of an IP, and those of them that hold no name. */

/** Caps of {@link PerIpLimits}; 0 turns one off. */
export interface PerIpLimitOptions {
  /** Open connections of one source IP, named or not. */
  readonly maxConnsPerIp: number;
  /** Open connections of one source IP that hold no name (connecting, or never registering). */
  readonly maxUnnamedPerIp: number;
}

/** What one source IP holds open. */
export interface PerIpCount {
  readonly open: number;
  readonly unnamed: number;
}

/**
 * Counts the connections of each source IP and refuses one over a cap. Many users
 * behind one NAT share an address, so the cap that matters is on connections that
 * hold no name: a registered user costs a name, a nameless connection costs nothing.
 * Every connection starts unnamed; {@link named} moves it over once its REG succeeds.
 * No I/O, no clock.
 */
export class PerIpLimits {
  private readonly counts = new Map<string, { open: number; unnamed: number }>();

  constructor(private readonly options: PerIpLimitOptions) {}

  /** Why a new connection from `ip` is refused, or undefined: then it is counted, as unnamed. */
  admit(ip: string): string | undefined {
    const count = this.counts.get(ip) ?? { open: 0, unnamed: 0 };
    const { maxConnsPerIp, maxUnnamedPerIp } = this.options;
    if (maxConnsPerIp > 0 && count.open >= maxConnsPerIp) return `too many connections from ${ip}`;
    if (maxUnnamedPerIp > 0 && count.unnamed >= maxUnnamedPerIp) return `too many connections without a name from ${ip}`;
    count.open++;
    count.unnamed++;
    this.counts.set(ip, count);
    return undefined;
  }

  /** An admitted connection of `ip` now holds a name. Call once per connection. */
  named(ip: string): void {
    const count = this.counts.get(ip);
    if (count && count.unnamed > 0) count.unnamed--;
  }

  /** An admitted connection of `ip` closed; `named` says whether {@link named} was called for it. */
  release(ip: string, named: boolean): void {
    const count = this.counts.get(ip);
    if (!count) return;
    count.open--;
    if (!named && count.unnamed > 0) count.unnamed--;
    if (count.open <= 0) this.counts.delete(ip);
  }

  /** What `ip` holds open now. */
  count(ip: string): PerIpCount {
    const count = this.counts.get(ip);
    return count ? { open: count.open, unnamed: count.unnamed } : { open: 0, unnamed: 0 };
  }
}
