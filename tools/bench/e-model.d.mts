// Types of the simplified narrowband ITU-T G.107 E-model (e-model.mjs).

/** Ie and Bpl of a codec (G.113 Appendix I). */
export interface CodecImpairment {
  readonly ie: number;
  readonly bpl: number;
}

/** R with every parameter at its G.107 default (93.2). */
export declare const R_DEFAULT: number;
/** `g711-plc` (Ie 0, Bpl 25.1; also L16) and `g711` without concealment (Ie 0, Bpl 4.3). */
export declare const CODECS: Readonly<Record<'g711-plc' | 'g711', CodecImpairment>>;

/** An input out of range. */
export declare class EModelError extends RangeError {
  readonly name: 'EModelError';
  readonly code: 'bad-e-model-input';
  readonly option: string;
}

/** Id for a one-way mouth-to-ear delay in ms: 0.024 d + 0.11 (d - 177.3) H(d - 177.3). */
export declare function delayImpairment(delayMs: number): number;
/** Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl), Ppl in %. */
export declare function effectiveEquipmentImpairment(lossPercent: number, burstR?: number, codec?: CodecImpairment): number;
/** MOS from R (G.107 Annex B): 1 below 0, 4.5 above 100. */
export declare function mosFromR(r: number): number;
/** G.107's BurstR of a loss trace (true = lost). */
export declare function burstRatio(lost: readonly boolean[]): number;
/** R, MOS, Id and Ie,eff of a call. */
export declare function eModel(input: { delayMs: number; lossPercent: number; burstR?: number; codec?: keyof typeof CODECS | CodecImpairment }): {
  r: number;
  mos: number;
  id: number;
  ieEff: number;
};
