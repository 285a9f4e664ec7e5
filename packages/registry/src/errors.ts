/** Stable codes of the errors a registry rejects with. */
export type RegistryErrorCode = 'name-taken' | 'owner-has-name' | 'invalid-entry' | 'storage-failed';

/** Base class of every error a registry throws; programs test `code`, people read `message`. */
export class RegistryError extends Error {
  override readonly name: string = 'RegistryError';
  /** Stable, machine-readable reason. */
  readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The name (compared without case) is already held by another owner. */
export class NameTakenError extends RegistryError {
  override readonly name = 'NameTakenError';
  /**
   * The name that was asked for, as given. (`name` itself is the error class name,
   * as for every Error.)
   */
  readonly takenName: string;

  constructor(name: string) {
    super('name-taken', `the name "${name}" is already taken`);
    this.takenName = name;
  }
}

/** The owner (connection) already holds a name; an owner holds at most one. */
export class OwnerHasNameError extends RegistryError {
  override readonly name = 'OwnerHasNameError';
  /** The owner id that already holds a name. */
  readonly owner: string;

  constructor(owner: string) {
    super('owner-has-name', `owner "${owner}" already holds a name`);
    this.owner = owner;
  }
}

/** A field of a new entry is unusable (empty string, port out of range, invalid date, version below 1, caps that are not caps). */
export class InvalidEntryError extends RegistryError {
  override readonly name = 'InvalidEntryError';
  /** Which field was refused. */
  readonly field: 'name' | 'ip' | 'port' | 'owner' | 'since' | 'version' | 'caps';

  constructor(field: InvalidEntryError['field'], message: string) {
    super('invalid-entry', message);
    this.field = field;
  }
}

/** The message of a cause; for an AggregateError (Node's connect to every address of a host), the first inner one's. */
function causeText(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  if (cause.message.length > 0) return cause.message;
  const inner: unknown = cause instanceof AggregateError ? cause.errors[0] : undefined;
  return inner instanceof Error && inner.message.length > 0 ? inner.message : cause.name;
}

/**
 * Why the storage failed, for a program to say what to do about it:
 * - `config`: the connection settings are unusable (a bad URL or port);
 * - `unreachable`: no connection to the database server (refused, unknown host, timeout, no socket);
 * - `login`: the database server refused the user, its password or the database name;
 * - `schema`: the schema migrations failed, or the schema is from a newer version;
 * - `closed`: the registry was closed;
 * - `failed`: anything else (a query or I/O failed).
 */
export type RegistryStorageReason = 'config' | 'unreachable' | 'login' | 'schema' | 'closed' | 'failed';

/** The storage backend failed (unusable database path, I/O error, closed registry...). */
export class RegistryStorageError extends RegistryError {
  override readonly name = 'RegistryStorageError';
  /** Why, finer than `code` (which is always `storage-failed`). */
  readonly reason: RegistryStorageReason;

  constructor(message: string, cause?: unknown, reason: RegistryStorageReason = 'failed') {
    const detail = causeText(cause);
    super('storage-failed', detail === undefined ? message : `${message}: ${detail}`, { cause });
    this.reason = reason;
  }
}
