// Types of the lab's nftables rule sets (nft-rules.mjs).

/** An nftables option out of range. */
export declare class NftRuleError extends TypeError {
  readonly name: 'NftRuleError';
  readonly code: 'bad-nft-rule';
  /** The option at fault. */
  readonly option: string;
}

/** Options of random loss in a namespace. */
export interface ImpairOptions {
  /** Percentage of the matching packets dropped at random, 0-100 (resolution 0.01). */
  readonly dropPercent: number;
  /** Default `udp`. */
  readonly protocol?: 'udp' | 'tcp';
  /** The netfilter hook: `forward` (default, a router), `input` or `output` (a host). */
  readonly hook?: 'forward' | 'input' | 'output';
  /** `both` (default: every matching packet, each way) or only those from and/or to an IPv4 address or subnet. */
  readonly direction?: 'both' | { readonly from?: string; readonly to?: string };
  /** Leaves alone the packets that arrive on this interface (e.g. an attacker's link, whose forged datagrams a test counts); not with the `output` hook. */
  readonly exceptInterface?: string;
}

/** Options of a forged source. */
export interface SpoofRuleOptions {
  /** The router's interface the attacker's datagrams arrive on. */
  readonly interface: string;
  /** The forged source. */
  readonly as: { readonly address: string; readonly port: number };
  /** The destination whose datagrams are forged. */
  readonly to: { readonly address: string; readonly port: number };
}

/** The `nft -f -` text of a table `table` that counts (`matched`) and drops (`dropped`) packets. */
export declare function impairRuleset(table: string, options: ImpairOptions): string;
/** The `nft -f -` text of a table `table` that rewrites the source of matching datagrams (counted as `forged`). */
export declare function spoofRuleset(table: string, options: SpoofRuleOptions): string;
