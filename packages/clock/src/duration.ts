/** The one check of a duration option: a positive, finite number of milliseconds. */

/**
 * Why `value` is not a usable duration in milliseconds (a positive, finite number),
 * or undefined when it is. The reason reads after the option's name:
 * `${name} ${reason}`.
 *
 * @example
 * checkDurationMs(5000); // undefined
 * checkDurationMs(0);    // 'must be a positive number of milliseconds, got 0'
 */
export function checkDurationMs(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return undefined;
  return `must be a positive number of milliseconds, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`;
}
