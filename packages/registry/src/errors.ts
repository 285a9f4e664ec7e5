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

/** A field of a new entry is unusable (empty string, port out of range, invalid date). */
export class InvalidEntryError extends RegistryError {
  override readonly name = 'InvalidEntryError';
  /** Which field was refused. */
  readonly field: 'name' | 'ip' | 'port' | 'owner' | 'since';

  constructor(field: InvalidEntryError['field'], message: string) {
    super('invalid-entry', message);
    this.field = field;
  }
}

/** The storage backend failed (unusable database path, I/O error, closed registry...). */
export class RegistryStorageError extends RegistryError {
  override readonly name = 'RegistryStorageError';

  constructor(message: string, cause?: unknown) {
    super('storage-failed', cause instanceof Error ? `${message}: ${cause.message}` : message, { cause });
  }
}
