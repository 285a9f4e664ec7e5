// The ITU-T G.107 E-model simplified for narrowband calls: R from one-way delay and packet loss, and MOS from R; pure.
//
// R = R0 - Id - Ie,eff with R0 = 93.2 (G.107's default R0 - Is with every other factor
// at its default). Id is Cole and Rosenbluth's approximation (2001) of G.107's delay
// impairment for a mouth-to-ear delay d in ms: Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3).
// Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl) (G.107 eq. 7-29), with Ie and Bpl
// from G.113 Appendix I. MOS from R by G.107 Annex B (eq. B-4).

/** R with every G.107 parameter at its default: no delay, no loss. */
export const R_DEFAULT = 93.2;

/** G.113 Appendix I equipment impairment Ie and loss robustness Bpl of the codecs we send. */
export const CODECS = Object.freeze({
  /** G.711 (and 16-bit linear PCM, its superset) with packet loss concealment. */
  'g711-plc': Object.freeze({ ie: 0, bpl: 25.1 }),
  /** G.711 with lost frames played as silence. */
  g711: Object.freeze({ ie: 0, bpl: 4.3 }),
});

/** An E-model input out of range; `option` names it. */
export class EModelError extends RangeError {
  name = 'EModelError';
  code = 'bad-e-model-input';
  constructor(option, message) {
    super(`${option}: ${message}`);
    this.option = option;
  }
}

/** The delay impairment Id for a one-way mouth-to-ear delay in ms (Cole-Rosenbluth). */
export function delayImpairment(delayMs) {
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) throw new EModelError('delayMs', `a delay >= 0 ms, got ${delayMs}`);
  return 0.024 * delayMs + (delayMs > 177.3 ? 0.11 * (delayMs - 177.3) : 0);
}

/** Ie,eff for `lossPercent` % packet loss (Ppl) with burst ratio `burstR` (1: random loss) and a codec's Ie and Bpl. */
export function effectiveEquipmentImpairment(lossPercent, burstR = 1, codec = CODECS['g711-plc']) {
  if (!(Number.isFinite(lossPercent) && lossPercent >= 0 && lossPercent <= 100)) throw new EModelError('lossPercent', `a percentage in [0, 100], got ${lossPercent}`);
  if (!(Number.isFinite(burstR) && burstR >= 1)) throw new EModelError('burstR', `a burst ratio >= 1, got ${burstR}`);
  const { ie, bpl } = codec;
  return ie + ((95 - ie) * lossPercent) / (lossPercent / burstR + bpl);
}

/** MOS (conversational quality, estimated) from R: G.107 Annex B. */
export function mosFromR(r) {
  if (Number.isNaN(r)) throw new EModelError('r', 'a number, got NaN');
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/**
 * G.107's burst ratio of a loss trace (true = lost): the mean length of the observed
 * loss bursts over the mean expected for random loss at the same rate, 1 / (1 - Ppl).
 * 1 for no loss, or when every packet is lost.
 */
export function burstRatio(lost) {
  let bursts = 0;
  let losses = 0;
  for (let i = 0; i < lost.length; i++) {
    if (!lost[i]) continue;
    losses++;
    if (i === 0 || !lost[i - 1]) bursts++;
  }
  if (losses === 0 || losses === lost.length) return 1;
  const ppl = losses / lost.length;
  return Math.max(1, losses / bursts / (1 / (1 - ppl)));
}

/**
 * The E-model estimate of a call: `delayMs` one-way mouth-to-ear, `lossPercent` % of
 * frames lost (after the jitter buffer: late frames count as lost), `burstR` (default 1)
 * and `codec` (a key of {@link CODECS} or `{ ie, bpl }`; default `g711-plc`).
 * Returns R, MOS and the two impairments.
 */
export function eModel({ delayMs, lossPercent, burstR = 1, codec = 'g711-plc' }) {
  const params = typeof codec === 'string' ? CODECS[codec] : codec;
  if (!params) throw new EModelError('codec', `one of ${Object.keys(CODECS).join(', ')} or { ie, bpl }, got ${codec}`);
  const id = delayImpairment(delayMs);
  const ieEff = effectiveEquipmentImpairment(lossPercent, burstR, params);
  const r = R_DEFAULT - id - ieEff;
  return { r, mos: mosFromR(r), id, ieEff };
}
