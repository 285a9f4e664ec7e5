// The classic directory server double for this package's tests: the faithful one from
// `@voip/tools` (its behaviour is documented in docs/protocol.md, "The classic server").
export { startClassicDirectoryServer } from '@voip/tools';
export type { ClassicDirectoryServer, ClassicDirectoryServerOptions, ClassicServerLogEntry } from '@voip/tools';
