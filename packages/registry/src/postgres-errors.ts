/** How the PostgreSQL registry reads pg's errors: which storage failure reason, and which unique rule a row broke. */
import type { RegistryStorageReason } from './errors.js';

/** Socket errors meaning the database server could not be reached. */
const UNREACHABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'EPIPE',
  // A Unix socket path that does not exist: no server there.
  'ENOENT',
]);

function codeOf(error: unknown): string | undefined {
  const code: unknown = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The errors inside an AggregateError (Node's connect tries every address of a host), or the error itself. */
function leaves(error: unknown): unknown[] {
  return error instanceof AggregateError && error.errors.length > 0 ? error.errors : [error];
}

/**
 * The reason a pg error gives, from its SQLSTATE (PostgreSQL documentation, appendix A)
 * or Node's socket error code; `failed` when it says nothing more specific.
 */
export function postgresFailureReason(error: unknown): RegistryStorageReason {
  for (const leaf of leaves(error)) {
    const code = codeOf(leaf);
    if (code === undefined) {
      // pg's own connect timeout has no code.
      if (leaf instanceof Error && /connection timeout|timeout expired/i.test(leaf.message)) return 'unreachable';
      continue;
    }
    if (UNREACHABLE_ERRNOS.has(code)) return 'unreachable';
    // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting up.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') return 'unreachable';
    // Class 28: invalid authorization; 3D000: no such database.
    if (code.startsWith('28') || code === '3D000') return 'login';
  }
  return 'failed';
}

/** The unique constraint a row broke (SQLSTATE 23505), or undefined for any other error. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  if (codeOf(error) !== '23505') return undefined;
  const constraint: unknown = (error as Error & { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : '';
}
