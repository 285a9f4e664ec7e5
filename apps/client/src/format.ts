/**
 * Small pure formatters for the screens: durations, levels, times of day.
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

const two = (n: number): string => String(n).padStart(2, '0');

/** Local time of day `hh:mm:ss` of a moment in ms since the epoch (log lines). */
export function formatClock(at: number): string {
  const date = new Date(at);
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

/** Local `yyyy-mm-dd hh:mm` of an ISO 8601 moment (call history); the text itself when it is not one. */
export function formatStart(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
