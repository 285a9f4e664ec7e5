/**
 * Exit codes of `voip-client`, as in the seed report ("Gestion des erreurs").
 */
export const EXIT = Object.freeze({
  /** Completed correctly. */
  ok: 0,
  /** Warning: with --exit-after-call, the call never connected. */
  warning: 1,
  /** Critical: bad command line, UDP port in use, directory unreachable or lost, name refused. */
  critical: 2,
  /** Unknown error: a bug. */
  bug: 3,
});

/** The message printed for an error nobody expected, with its stack. */
export function describeBug(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return `unexpected error (a bug): ${text}`;
}
