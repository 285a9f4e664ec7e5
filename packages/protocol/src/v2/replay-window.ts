/** A sliding replay window over packet indices (RFC 3711 section 3.3.2) as an immutable value: `check` before authentication, `commit` after. */

/** What {@link ReplayWindow.check} says about a packet index. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'too-old';

/** Packets a window remembers by default: libsrtp's 128 (RFC 3711 requires at least 64). */
export const DEFAULT_REPLAY_WINDOW = 128;

/**
 * The highest index accepted and a bitmap of the `size` indices at and below it. Every
 * method is pure: `commit` returns a new window. Mark a packet with `commit` only once it
 * has authenticated, so a forgery cannot use up an index.
 */
export class ReplayWindow {
  private constructor(
    /** Indices remembered below and including {@link top}. */
    readonly size: number,
    /** The highest index committed, or -1 before the first. */
    readonly top: number,
    /** Bit i set: index `top - i` was committed. */
    private readonly mask: bigint,
  ) {}

  /** An empty window of `size` packets (an integer of at least 64). */
  static create(size: number = DEFAULT_REPLAY_WINDOW): ReplayWindow {
    if (!Number.isInteger(size) || size < 64) throw new RangeError('a replay window holds at least 64 packets (RFC 3711 section 3.3.2)');
    return new ReplayWindow(size, -1, 0n);
  }

  /** Whether `index` (a non-negative integer) would be new, was already committed, or fell out of the window. */
  check(index: number): ReplayVerdict {
    if (index > this.top) return 'fresh';
    const age = this.top - index;
    if (age >= this.size) return 'too-old';
    return (this.mask >> BigInt(age)) & 1n ? 'replayed' : 'fresh';
  }

  /** The window with `index` marked; call only after {@link check} said `fresh` and the packet authenticated. */
  commit(index: number): ReplayWindow {
    if (index > this.top) {
      const shift = this.top < 0 ? this.size : index - this.top;
      const moved = shift >= this.size ? 0n : (this.mask << BigInt(shift)) & ((1n << BigInt(this.size)) - 1n);
      return new ReplayWindow(this.size, index, moved | 1n);
    }
    const age = this.top - index;
    return age >= this.size ? this : new ReplayWindow(this.size, this.top, this.mask | (1n << BigInt(age)));
  }
}
