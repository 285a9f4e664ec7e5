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
  { keys: 'Enter', where: 'connect form', action: 'next field; connect from the name or UDP port' },
  { keys: '← → Home End', where: 'text fields', action: 'move the cursor' },
  { keys: 'Backspace', where: 'text fields', action: 'delete before the cursor' },
  { keys: 'Ctrl-D', where: 'text fields', action: 'delete under the cursor' },
  { keys: 'Ctrl-U', where: 'text fields', action: 'clear the field' },
  { keys: '↑ ↓', where: 'user list', action: 'select a user' },
  { keys: 'Enter', where: 'user list', action: 'call the selected user' },
  { keys: '/', where: 'user list', action: 'filter by name (Enter done, Esc clear)' },
  { keys: 'c', where: 'idle', action: 'call a user by name' },
  { keys: 'a / y', where: 'incoming call', action: 'accept' },
  { keys: 'r / n', where: 'incoming call', action: 'reject' },
  { keys: 'h', where: 'in a call or calling', action: 'hang up' },
  { keys: 'm', where: 'in a call or calling', action: 'mute or unmute the microphone' },
  { keys: '+ / -', where: 'in a call or calling', action: 'speaker volume up or down' },
  { keys: 'v', where: 'in an encrypted call', action: 'mark the SAS as compared with the peer (this call only)' },
  { keys: 'PgUp / PgDn', where: 'main screen', action: 'scroll the log' },
  { keys: 'l', where: 'main screen', action: 'call history (Esc back)' },
  { keys: '?', where: 'main screen', action: 'this list of keys (Esc back)' },
  { keys: 'q', where: 'main screen', action: 'quit (asks first during a call: y quits)' },
  { keys: 'Ctrl-C', where: 'anywhere', action: 'quit at once (hangs up and unregisters)' },
];
