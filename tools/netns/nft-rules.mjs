// The nftables rule sets of the network-namespace lab (random loss, forged sources), as text for `nft -f -`; pure.

const HOOKS = new Set(['forward', 'input', 'output']);
const PROTOCOLS = new Set(['udp', 'tcp']);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d{1,2}))?$/;
const INTERFACE = /^[A-Za-z0-9_.-]{1,15}$/;

/** An nftables option out of range; `option` names it. */
export class NftRuleError extends TypeError {
  name = 'NftRuleError';
  code = 'bad-nft-rule';
  constructor(option, message) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}

function ipv4(option, value, { cidr }) {
  const m = typeof value === 'string' ? IPV4.exec(value) : null;
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || (m[5] && (!cidr || Number(m[6]) > 32))) {
    throw new NftRuleError(option, `an IPv4 address${cidr ? ' or subnet' : ''}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function port(option, value) {
  if (!(Number.isInteger(value) && value > 0 && value < 65536)) throw new NftRuleError(option, `a port in 1-65535, got ${value}`);
  return value;
}

/**
 * A table with one base chain on `hook` (default `forward`) that counts the packets of
 * `protocol` (default `udp`; limited to `direction.from`/`direction.to` when given, and to
 * those not arriving on `exceptInterface` when given) as `matched` and drops
 * `dropPercent` % of them at random (resolution 0.01 %) as `dropped`.
 */
export function impairRuleset(table, { dropPercent, protocol = 'udp', hook = 'forward', direction = 'both', exceptInterface }) {
  if (!(typeof dropPercent === 'number' && dropPercent >= 0 && dropPercent <= 100)) throw new NftRuleError('dropPercent', `a percentage in [0, 100], got ${dropPercent}`);
  if (!PROTOCOLS.has(protocol)) throw new NftRuleError('protocol', `udp or tcp, got ${protocol}`);
  if (!HOOKS.has(hook)) throw new NftRuleError('hook', `forward, input or output, got ${hook}`);
  let match = `meta l4proto ${protocol}`;
  if (exceptInterface !== undefined) {
    if (hook === 'output') throw new NftRuleError('exceptInterface', 'the output hook has no input interface');
    if (!(typeof exceptInterface === 'string' && INTERFACE.test(exceptInterface))) throw new NftRuleError('exceptInterface', `an interface name, got ${exceptInterface}`);
    match += ` iifname != "${exceptInterface}"`;
  }
  if (direction !== 'both') {
    if (typeof direction !== 'object' || direction === null || (!direction.from && !direction.to))
      throw new NftRuleError('direction', "'both' or { from?, to? } with at least one address or subnet");
    if (direction.from) match += ` ip saddr ${ipv4('direction.from', direction.from, { cidr: true })}`;
    if (direction.to) match += ` ip daddr ${ipv4('direction.to', direction.to, { cidr: true })}`;
  }
  const threshold = Math.round(dropPercent * 100);
  return [
    `table inet ${table} {`,
    '  chain impair {',
    `    type filter hook ${hook} priority 0; policy accept;`,
    `    ${match} counter comment "matched"`,
    // numgen's comparand must be below the modulus: 100 % drops without drawing.
    `    ${match}${threshold >= 10000 ? '' : ` numgen random mod 10000 < ${threshold}`} counter drop comment "dropped"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/**
 * A table that makes the UDP datagrams arriving on `interface` for `to` leave with the
 * source `as`: untracked in prerouting (so no connection tracking or NAT of a real flow
 * between the two interferes), rewritten statelessly in forward and counted as `forged`.
 */
export function spoofRuleset(table, { interface: iface, as, to }) {
  if (!(typeof iface === 'string' && INTERFACE.test(iface))) throw new NftRuleError('interface', `an interface name, got ${iface}`);
  const match = `iifname "${iface}" ip daddr ${ipv4('to.address', to?.address, { cidr: false })} udp dport ${port('to.port', to?.port)}`;
  return [
    `table inet ${table} {`,
    '  chain untrack {',
    '    type filter hook prerouting priority -300; policy accept;',
    `    ${match} notrack`,
    '  }',
    '  chain forge {',
    '    type filter hook forward priority -150; policy accept;',
    `    ${match} ip saddr set ${ipv4('as.address', as?.address, { cidr: false })} udp sport set ${port('as.port', as?.port)} counter comment "forged"`,
    '  }',
    '}',
    '',
  ].join('\n');
}
