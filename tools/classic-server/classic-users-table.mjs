// The classic server's `users(username TEXT, ip TEXT)` SQLite table, kept in memory with
// the lookups that server runs against it, each compared the way SQLite compares it.

/** Raised where the classic server's SQLite call would fail (sqlite3.OperationalError). */
export class ClassicSqlError extends Error {
  name = 'ClassicSqlError';
  code = 'classic-sql-error';
}

/** Column and rowid names that SQLite resolves a double-quoted word to before treating it as a string. */
const COLUMN = /^(username|ip)$/i;
const ROWID = /^(rowid|oid|_rowid_)$/i;
/** A TEXT value that SQLite's NUMERIC affinity turns into a number. */
const NUMERIC_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * The table. Rows keep insertion order (SQLite's rowid order, which `fetchone()`
 * follows); a name may appear twice when a quirk of the quoted lookup lets it in.
 */
export class ClassicUsersTable {
  /** @type {{ rowid: number, username: string, ip: string }[]} */
  #rows = [];

  /** Every row, oldest first, as `{ username, ip }`. */
  rows() {
    return this.#rows.map(({ username, ip }) => ({ username, ip }));
  }

  /**
   * `SELECT * FROM users WHERE username="{name}"` built with an f-string, as REG checks
   * for a taken name: the first matching row, or undefined. A double-quoted word is a
   * column when one has that name (so `username` matches every row), else a string
   * literal compared exactly (case-sensitive, SQLite's BINARY `=`). A name holding `"`
   * or NUL breaks the statement: {@link ClassicSqlError} (crafted injections are not
   * interpreted; they fail the same way).
   */
  selectQuoted(name) {
    return this.#rows.find(this.#quotedMatcher(name));
  }

  /** `DELETE FROM users WHERE username="{name}"` built with an f-string, as DISCONNECT and error paths run it. */
  deleteQuoted(name) {
    const match = this.#quotedMatcher(name);
    this.#rows = this.#rows.filter((row) => !match(row));
  }

  /** `INSERT INTO users(username, ip) VALUES (?, ?)`. */
  insert(username, ip) {
    const rowid = this.#rows.reduce((max, row) => Math.max(max, row.rowid), 0) + 1;
    this.#rows.push({ rowid, username, ip });
  }

  /** `SELECT * FROM users WHERE username=?` then `fetchone()[1]`: the first exact match's IP, or undefined. */
  ipOf(name) {
    return this.#rows.find((row) => row.username === name)?.ip;
  }

  /** `DELETE FROM users`, run at start-up. */
  clear() {
    this.#rows = [];
  }

  #quotedMatcher(name) {
    if (name.includes('"') || name.includes('\0')) throw new ClassicSqlError(`SQL built from the name ${JSON.stringify(name)} does not parse`);
    if (COLUMN.test(name)) {
      const column = name.toLowerCase();
      return (row) => row.username === row[column];
    }
    if (ROWID.test(name)) {
      // TEXT compared with the integer rowid: NUMERIC affinity applies to the text.
      return (row) => NUMERIC_TEXT.test(row.username) && Number(row.username) === row.rowid;
    }
    return (row) => row.username === name;
  }
}
