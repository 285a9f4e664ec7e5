// What the classic server's per-connection handler does with the bytes of one
// `recv(1024)`, as a pure step: the reply it sends, or the exception that ends it.
import { ClassicSqlError } from './classic-users-table.mjs';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Python's `json.dumps` of a flat object of strings, with its default separators
 * (`", "` and `": "`) and `ensure_ascii` (every character outside space..`~` as `\uXXXX`).
 */
export function pythonJsonDumps(object) {
  const ascii = (text) => JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `{${Object.entries(object)
    .map(([key, value]) => `${ascii(key)}: ${ascii(value)}`)
    .join(', ')}}`;
}

/**
 * One connection's handler: call {@link ClassicConnection.receive} with each
 * `recv(1024)` result in turn (an empty buffer is the peer's end of stream) until it
 * returns a `raised` outcome; after that the real handler reads no more.
 */
export class ClassicConnection {
  /** The handler's `response` variable: the last reply, sent again for commands it does not know. */
  #response = undefined;

  /**
   * @param {import('./classic-users-table.mjs').ClassicUsersTable} table the server's table
   * @param {string} ip the TCP source address of the connection (`address[0]`)
   */
  constructor(table, ip) {
    this.table = table;
    this.ip = ip;
  }

  /**
   * Runs one pass of the handler's loop on `bytes`. Returns `{ request, reply }` (reply
   * is the exact bytes sent, as text) or `{ request, raised, deleted }` where `raised`
   * names the Python exception and `deleted` is the name its `except` clause removed,
   * if any. `request` is the parsed JSON, or undefined when the bytes did not parse.
   */
  receive(bytes) {
    let text;
    try {
      text = UTF8.decode(bytes);
    } catch {
      return { request: undefined, raised: 'UnicodeDecodeError' };
    }
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      // Also the empty read at end of stream, and two objects in one read ("Extra data").
      return { request: undefined, raised: 'JSONDecodeError' };
    }
    // `data["name"]` on a list, string, number, bool or None: `except TypeError: pass`.
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return { request: data, raised: 'TypeError' };
    // KeyError: the `except` clause's own `data["name"]` raises again, so nothing is deleted.
    if (!Object.hasOwn(data, 'name')) return { request: data, raised: 'KeyError' };
    const name = data.name;
    // The reference would str() a non-string name into its SQL; the double raises instead
    // (a documented difference: no client sends one).
    if (typeof name !== 'string') return { request: data, raised: 'UnsupportedName' };
    if (!Object.hasOwn(data, 'command')) return this.#raise(data, 'KeyError');

    const command = data.command;
    if (command === 'REG') {
      this.#response = { ack: this.#register(name) };
    } else if (command === 'GET') {
      this.#response = { ip: this.table.ipOf(name) ?? 'None' };
    } else if (command === 'DISCONNECT') {
      try {
        this.table.deleteQuoted(name);
      } catch (error) {
        if (error instanceof ClassicSqlError) return this.#raise(data, 'OperationalError');
        throw error;
      }
    }
    // `print(response)` before any reply was made on this connection.
    if (this.#response === undefined) return this.#raise(data, 'UnboundLocalError');
    return { request: data, reply: pythonJsonDumps(this.#response) };
  }

  #register(name) {
    try {
      if (this.table.selectQuoted(name) !== undefined) return 'Error Registering';
    } catch (error) {
      if (error instanceof ClassicSqlError) return 'Error';
      throw error;
    }
    this.table.insert(name, this.ip);
    return 'Registered successfully';
  }

  /** The handler's `except Exception` clause: `delete_user(data["name"])`, its own SQL errors swallowed. */
  #raise(data, raised) {
    try {
      this.table.deleteQuoted(data.name);
      return { request: data, raised, deleted: data.name };
    } catch (error) {
      if (error instanceof ClassicSqlError) return { request: data, raised };
      throw error;
    }
  }
}
