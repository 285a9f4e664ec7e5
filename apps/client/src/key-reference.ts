/**
 * Every key of the terminal client, where it works and what it does: the one table
 * behind the help overlay (`?`) and the keys section of `voip-client --help`.
 */

/** One row of the key reference. */
export interface KeyReferenceRow {
  /** The keys as the user types them, e.g. `a / y`. */
  readonly keys: string;
  /** Where the keys work, e.g. `incoming call`. */
  readonly where: string;
  /** What they do. */
  readonly action: string;
}

/** The keys of the terminal client, screen by screen. */
export const KEY_REFERENCE: readonly KeyReferenceRow[] = [
  { keys: 'Tab / ↑ ↓', where: 'connect form', action: 'move between fields' },
  { keys: 'Enter', where: 'connect form', action: 'next field; connect from the last one' },
  { keys: '↑ ↓', where: 'user list', action: 'select a user' },
  { keys: 'Enter', where: 'user list', action: 'call the selected user' },
  { keys: 'c', where: 'idle', action: 'call a user by name' },
  { keys: 'a / y', where: 'incoming call', action: 'accept' },
  { keys: 'r / n', where: 'incoming call', action: 'reject' },
  { keys: 'h', where: 'in a call or calling', action: 'hang up' },
  { keys: 'q', where: 'main screen', action: 'quit' },
  { keys: 'Ctrl-C', where: 'anywhere', action: 'quit at once (hangs up and unregisters)' },
];
