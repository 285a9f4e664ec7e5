/** A sliding replay window over packet indices (RFC 3711 section 3.3.2) as an immutable value: `check` before authentication, `commit` after. */

/** What {@link ReplayWindow.check} says about a packet index. */
export type ReplayVerdict = 'fresh' | 'replayed' | 'too-old';

/** Packets a window remembers by default: libsrtp's 128 (RFC 3711 requires at least 64). */
export const DEFAULT_REPLAY_WINDOW = 128;

/** Bit `age` of `words` (bit 0 of word 0 is age 0). */
function bitAt(words: Uint32Array, age: number): boolean {
  return ((words[age >>> 5]! >>> (age & 31)) & 1) === 1;
}

/**
 * The highest index accepted and a bitmap of the `size` indices at and below it, kept
 * in 32-bit words (a BigInt mask allocates several numbers a packet). Every method is
 * pure: `commit` returns a new window. Mark a packet with `commit` only once it has
 * authenticated, so a forgery cannot use up an index.
 */
export class ReplayWindow {
  private constructor(
    /** Indices remembered below and including {@link top}. */
    readonly size: number,
    /** The highest index committed, or -1 before the first. */
    readonly top: number,
    /** Bit i (word i >> 5, bit i & 31) set: index `top - i` was committed. Never modified once the window exists. */
    private readonly words: Uint32Array,
  ) {}

  /** An empty window of `size` packets (an integer of at least 64). */
  static create(size: number = DEFAULT_REPLAY_WINDOW): ReplayWindow {
    if (!Number.isInteger(size) || size < 64) throw new RangeError('a replay window holds at least 64 packets (RFC 3711 section 3.3.2)');
    return new ReplayWindow(size, -1, new Uint32Array(Math.ceil(size / 32)));
  }

  /** Whether `index` (a non-negative integer) would be new, was already committed, or fell out of the window. */
  check(index: number): ReplayVerdict {
    if (index > this.top) return 'fresh';
    const age = this.top - index;
    if (age >= this.size) return 'too-old';
    return bitAt(this.words, age) ? 'replayed' : 'fresh';
  }

  /** The window with `index` marked; call only after {@link check} said `fresh` and the packet authenticated. */
  commit(index: number): ReplayWindow {
    const size = this.size;
    const old = this.words;
    if (index > this.top) {
      const shift = this.top < 0 ? size : index - this.top;
      const words = new Uint32Array(old.length);
      if (shift < size) {
        // Ages grow by `shift`: new bit a is old bit a - shift, for a below the size.
        const wordShift = shift >>> 5;
        const bitShift = shift & 31;
        for (let w = words.length - 1; w >= wordShift; w--) {
          const from = w - wordShift;
          const low = from > 0 && bitShift !== 0 ? old[from - 1]! >>> (32 - bitShift) : 0;
          words[w] = (old[from]! << bitShift) | low;
        }
        const spare = words.length * 32 - size;
        if (spare > 0) words[words.length - 1] = words[words.length - 1]! & (0xffffffff >>> spare);
      }
      words[0] = words[0]! | 1;
      return new ReplayWindow(size, index, words);
    }
    const age = this.top - index;
    if (age >= size) return this;
    const words = old.slice();
    words[age >>> 5] = words[age >>> 5]! | (1 << (age & 31));
    return new ReplayWindow(size, this.top, words);
  }
}
