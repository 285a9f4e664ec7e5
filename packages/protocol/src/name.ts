/** The one rule for user names: `validateName` and `nameKey`, the only way names are compared. */
import { MAX_NAME_LENGTH } from './constants.js';
import { fail, ok, type Result } from './result.js';

/** Why a name was refused. */
export type NameErrorCode = 'name-not-string' | 'name-empty' | 'name-too-long' | 'name-bad-character' | 'name-edge-space';

const ALLOWED = /^[A-Za-z0-9 ._-]+$/;

/**
 * Checks a user name against PROTOCOL.md section 1: 1-32 characters of letters,
 * digits, space, `.`, `_`, `-`, with no leading or trailing space. Letters are ASCII
 * only: a name travels in ASCII classic signalling (`START <name>`). Never throws.
 */
export function validateName(name: unknown): Result<string, NameErrorCode> {
  if (typeof name !== 'string') return fail('name-not-string', 'name must be a string');
  if (name.length === 0) return fail('name-empty', 'name must not be empty');
  if (name.length > MAX_NAME_LENGTH) return fail('name-too-long', `name must be at most ${MAX_NAME_LENGTH} characters`);
  if (!ALLOWED.test(name)) return fail('name-bad-character', 'name may contain only letters, digits, space, ".", "_" and "-"');
  if (name.startsWith(' ') || name.endsWith(' ')) return fail('name-edge-space', 'name must not start or end with a space');
  return ok(name);
}

/** Thrown when a name that must already be valid is not (e.g. the caller of a START being encoded). */
export class InvalidNameError extends Error {
  override readonly name = 'InvalidNameError';
  /** Why the name was refused; stable, for programs. */
  readonly code: NameErrorCode;
  /** The name given. */
  readonly value: unknown;

  constructor(value: unknown, code: NameErrorCode, detail: string) {
    super(`invalid name ${JSON.stringify(value)}: ${detail}`);
    this.code = code;
    this.value = value;
  }
}

/**
 * The key under which names are unique, everywhere (the client's comparisons, every
 * registry backend): ASCII letters folded to lower case, every other character kept.
 * This is exactly SQLite's NOCASE collation, so storage and code agree; for valid
 * names (ASCII only) it is plain lower case.
 */
export function nameKey(name: string): string {
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) > 0x7f) return name.replace(/[A-Z]+/g, (run) => run.toLowerCase());
  }
  return name.toLowerCase();
}
