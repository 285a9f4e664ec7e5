// The impairment relay's command line: flags to RelayOptions, with the usage text.
import { parseArgs } from 'node:util';
import { ImpairmentError, normaliseProfile } from './schedule.mjs';

/** The usage text. */
export const usage = `usage: node tools/impairment/relay.mjs --listen [HOST:]PORT --to HOST:PORT [options]
  --seed N              seed of the schedules (default 1)
  --loss P              random loss probability, 0..1
  --burst p,r[,lg,lb]   Gilbert-Elliott burst loss: good->bad p, bad->good r, loss in good lg (0), in bad lb (1)
  --delay MS            fixed delay
  --jitter MS           random extra delay, uniform in [0, MS)
  --reorder P[,MS]      hold a packet back MS more (default 50) with probability P
  --duplicate P         send a packet twice with probability P
Each flag applies to both directions; prefix it with forward- or backward- for one (e.g. --forward-loss 0.1).`;

/** Parses HOST:PORT, [V6]:PORT or PORT (host `defaultHost`). @param {string} flag @param {string} text @param {string | undefined} defaultHost */
export function parseEndpoint(flag, text, defaultHost) {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text) ?? (defaultHost !== undefined ? /^()()(\d+)$/.exec(text) : null);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 0 && port <= 65535)) throw new ImpairmentError(flag, `expected ${defaultHost !== undefined ? '[HOST:]PORT' : 'HOST:PORT'}, got '${text}'`);
  return { host: match[1] || match[2] || /** @type {string} */ (defaultHost), port };
}

const PROFILE_FLAGS = ['loss', 'burst', 'delay', 'jitter', 'reorder', 'duplicate'];

/** @param {string} flag @param {string} text */
function number(flag, text) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new ImpairmentError(flag, `expected a number, got '${text}'`);
  return value;
}

/** Builds a profile from the values of one set of flags. @param {Record<string, string | undefined>} v @param {string} prefix */
function profileOf(v, prefix) {
  /** @type {import('./schedule.mjs').Profile} */
  const profile = {};
  const get = (name) => v[`${prefix}${name}`];
  if (get('loss') !== undefined) profile.loss = number(`--${prefix}loss`, get('loss'));
  if (get('delay') !== undefined) profile.delayMs = number(`--${prefix}delay`, get('delay'));
  if (get('jitter') !== undefined) profile.jitterMs = number(`--${prefix}jitter`, get('jitter'));
  if (get('duplicate') !== undefined) profile.duplicate = number(`--${prefix}duplicate`, get('duplicate'));
  if (get('reorder') !== undefined) {
    const [p, ms] = get('reorder').split(',');
    profile.reorder = number(`--${prefix}reorder`, p);
    if (ms !== undefined) profile.reorderMs = number(`--${prefix}reorder`, ms);
  }
  if (get('burst') !== undefined) {
    const parts = get('burst')
      .split(',')
      .map((part) => number(`--${prefix}burst`, part));
    if (parts.length < 2 || parts.length > 4) throw new ImpairmentError(`--${prefix}burst`, 'expected p,r[,lossGood,lossBad]');
    const [p, r, lossGood, lossBad] = parts;
    profile.burst = { p, r, ...(lossGood !== undefined && { lossGood }), ...(lossBad !== undefined && { lossBad }) };
  }
  return profile;
}

/** Parses the relay's arguments into options for `startRelay`; throws ImpairmentError. @param {string[]} argv */
export function parseRelayArgs(argv) {
  const flags = { listen: { type: 'string' }, to: { type: 'string' }, seed: { type: 'string' } };
  for (const name of PROFILE_FLAGS) for (const prefix of ['', 'forward-', 'backward-']) flags[`${prefix}${name}`] = { type: 'string' };
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: /** @type {any} */ (flags), strict: true, allowPositionals: false }));
  } catch (error) {
    throw new ImpairmentError('arguments', error instanceof Error ? error.message : String(error));
  }
  if (values.listen === undefined) throw new ImpairmentError('--listen', 'required');
  if (values.to === undefined) throw new ImpairmentError('--to', 'required');
  const both = profileOf(values, '');
  const forward = { ...both, ...profileOf(values, 'forward-') };
  const backward = { ...both, ...profileOf(values, 'backward-') };
  normaliseProfile(forward);
  normaliseProfile(backward);
  const seed = values.seed === undefined ? 1 : number('--seed', values.seed);
  return { listen: parseEndpoint('--listen', values.listen, '127.0.0.1'), to: parseEndpoint('--to', values.to, undefined), seed, forward, backward };
}
