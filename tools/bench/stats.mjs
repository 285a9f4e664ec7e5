// The summary figures of the benchmarks: medians of rounds, percentiles of samples.

/** The median of the defined values (the upper one of an even count), or null when there are none. */
export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
}

/** The `p`th percentile (nearest rank below) of values sorted ascending, or null when there are none. */
export function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

/**
 * The nearest-rank quantile `q` (0-1) of values sorted ascending (the smallest value with
 * at least q of the samples at or below it), or null when there are none. The call
 * benchmarks report their delays with it.
 */
export function rankPercentile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : null;
}
