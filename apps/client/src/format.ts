/**
 * Small pure formatters for the status line.
 */

/** `mm:ss` of a duration (hours roll into minutes: 75 min is `75:00`). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

/** The level below which a meter shows nothing, in dBFS. */
export const METER_FLOOR_DBFS = -60;

/**
 * A level meter: `width` cells filled in proportion to the level between
 * {@link METER_FLOOR_DBFS} and 0 dBFS. Silence (-Infinity) shows empty.
 */
export function levelBar(dbfs: number, width = 10): string {
  const clamped = Number.isFinite(dbfs) ? Math.min(0, Math.max(METER_FLOOR_DBFS, dbfs)) : METER_FLOOR_DBFS;
  const filled = Math.round(((clamped - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS) * width);
  return '#'.repeat(filled) + '.'.repeat(width - filled);
}

/** A dBFS level for people: `-12 dB`, or `silent`. */
export function formatLevel(dbfs: number): string {
  return Number.isFinite(dbfs) ? `${Math.round(dbfs)} dB` : 'silent';
}
