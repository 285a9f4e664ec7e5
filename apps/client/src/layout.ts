/**
 * How the terminal client's screens fit the terminal, as pure functions of its
 * size: the height of each part of the main screen, the window of a scrolled list,
 * and text wrapped to a width so that every line is known before it is drawn.
 */

/** A terminal size in character cells. */
export interface Size {
  readonly rows: number;
  readonly columns: number;
}

/** The smallest terminal the screens are laid out for. */
export const MIN_SIZE: Size = { rows: 16, columns: 60 };

/**
 * Rows the screens leave free: the key-help line under them, and one spare row so
 * that the frame never fills the terminal (Ink then redraws the whole screen on
 * every change, which flickers).
 */
export const RESERVED_ROWS = 2;

/** A bordered box's border rows (top and bottom). */
export const BORDER_ROWS = 2;

/** The smallest user list: border, header, one user and the "N more" line. */
export const USERS_MIN = BORDER_ROWS + 3;

/** The smallest log: border, header and one line. */
export const LOG_MIN = BORDER_ROWS + 2;

/** What the main screen has to show, in lines. */
export interface MainLayoutInput {
  readonly rows: number;
  /** Lines that are always shown: title, status, banners and prompts. */
  readonly fixed: number;
  /** Status lines shown only when there is room (packet figures, level meters). */
  readonly extra: number;
  /** Rows the user list would fill (its entries, or the lines that say why there are none). */
  readonly userRows: number;
  /** Lines the log would fill. */
  readonly logLines: number;
}

/** The heights given to the parts of the main screen (0: not shown). */
export interface MainLayout {
  readonly extra: number;
  /** Height of the user list box, border included. */
  readonly users: number;
  /** Rows inside the user list for entries (and its "N more" line). */
  readonly userRows: number;
  /** Height of the log box, border included. */
  readonly log: number;
  /** Lines inside the log for its entries. */
  readonly logLines: number;
}

/**
 * Gives each part of the main screen its height: the fixed lines always; the
 * optional status lines when both lists still get their smallest size; the user
 * list what it needs, but leaving the log at least a third; the log what is left.
 */
export function mainLayout(input: MainLayoutInput): MainLayout {
  let room = Math.max(0, input.rows - RESERVED_ROWS - input.fixed);
  const extra = room - input.extra >= USERS_MIN + LOG_MIN ? input.extra : 0;
  room -= extra;
  const usersWanted = BORDER_ROWS + 1 + Math.max(1, input.userRows);
  const logWanted = BORDER_ROWS + 1 + Math.max(1, input.logLines);
  const logShare = Math.min(logWanted, Math.max(LOG_MIN, Math.floor(room / 3)));
  let users = room < USERS_MIN ? 0 : Math.max(USERS_MIN, Math.min(usersWanted, room - logShare));
  users = Math.min(users, room);
  // No room for a log: the list may have it all.
  if (users > 0 && room - users < LOG_MIN) users = Math.min(usersWanted, room);
  const left = room - users;
  const log = left >= LOG_MIN ? left : 0;
  return { extra, users, userRows: Math.max(0, users - BORDER_ROWS - 1), log, logLines: Math.max(0, log - BORDER_ROWS - 1) };
}

/** The part of a list that is shown, and how many entries are not. */
export interface ListWindow {
  readonly start: number;
  /** One past the last entry shown. */
  readonly end: number;
  /** Entries not shown (the "N more" line is drawn when above 0). */
  readonly more: number;
}

/**
 * The entries of a list of `count` shown in `rows` rows, keeping `selected` in view
 * and centred when it can; when some are cut, the last row says how many (given
 * two rows or more).
 */
export function listWindow(count: number, selected: number, rows: number): ListWindow {
  if (count <= rows) return { start: 0, end: count, more: 0 };
  const focus = Math.min(count - 1, Math.max(0, selected));
  // One row: the selection alone, no room to say what is cut.
  if (rows <= 1) return { start: focus, end: focus + Math.max(0, rows), more: count - Math.max(0, rows) };
  const shown = rows - 1;
  const start = Math.max(0, Math.min(count - shown, focus - Math.floor(shown / 2)));
  return { start, end: start + shown, more: count - shown };
}

/**
 * Text broken into lines of at most `width` characters, at spaces where it can;
 * lines after the first are indented by `indent` spaces.
 */
export function wrapText(text: string, width: number, indent = 0): string[] {
  const lines: string[] = [];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 1)));
  let rest = [...text];
  let first = true;
  while (rest.length > 0 || first) {
    const prefix = first ? [] : [...pad];
    const room = Math.max(1, width - prefix.length);
    if (rest.length <= room) {
      lines.push([...prefix, ...rest].join(''));
      break;
    }
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    lines.push([...prefix, ...rest.slice(0, cut)].join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
    first = false;
  }
  return lines;
}

/** The lines of a scrolled text view: from `scroll`, clamped so the view stays full. */
export function scrolledLines(lines: readonly string[], scroll: number, height: number): { readonly shown: readonly string[]; readonly start: number } {
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  return { shown: lines.slice(start, start + Math.max(0, height)), start };
}

/**
 * The lines of an incoming-call prompt for a given inner width: who calls and the
 * answer keys, each line fitting (the address moves to its own line when needed).
 */
export function incomingLines(caller: string, ip: string, port: number, width: number): string[] {
  const keys = 'press a or y to accept, r or n to reject';
  const whole = `☎ ${caller} is calling (${ip}:${port})`;
  const head = [...whole].length <= width ? [whole] : [...wrapText(`☎ ${caller} is calling`, width, 2), ...wrapText(`(${ip}:${port})`, width, 2)];
  return [...head, ...(keys.length <= width ? [keys] : ['a / y accept', 'r / n reject'])];
}
