export type { Registry, RegistryEntry, NewRegistryEntry, SharedRegistry, SharedRegistryChange, SharedRegistryStatus } from './registry.js';
export { isSharedRegistry } from './registry.js';
export { RegistryError, NameTakenError, OwnerHasNameError, InvalidEntryError, RegistryStorageError, type RegistryErrorCode, type RegistryStorageReason } from './errors.js';
export { createMemoryRegistry, type MemoryRegistryOptions } from './memory-registry.js';
export { openSqliteRegistry, type SqliteRegistryConfig, type SqliteRegistryDatabase, type SqliteRegistryStatement } from './sqlite-registry.js';
export { openPostgresRegistry, POSTGRES_LEASE_DEFAULTS, type PostgresRegistryConfig } from './postgres-registry.js';
