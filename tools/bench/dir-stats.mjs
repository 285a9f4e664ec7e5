// The summary figures of the directory benchmarks: medians of rounds, percentiles of samples.

/** The median of the defined values (the upper one of an even count), or null when there are none. */
export function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
}

/** The `p`th percentile (nearest rank below) of values sorted ascending, or null when there are none. */
export function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}
