/**
 * The call history file: who, which way, when, how long, how it ended, kept as a
 * small JSON array (newest first, capped) under the user's config folder, written
 * atomically (a temporary file renamed over the old one). A file that cannot be read
 * as a history is moved aside (reported once) rather than overwritten.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HistoryEntry } from './phone-events.js';

/** Most entries kept. */
export const HISTORY_LIMIT = 200;

/** Where the history lives: `$XDG_CONFIG_HOME/voip/history.json`, else `~/.config/voip/history.json`. */
export function historyPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const config = env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== '' ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  return join(config, 'voip', 'history.json');
}

/** The call history the phone driver keeps. */
export interface CallHistory {
  /**
   * The entries, newest first; `warning` says once why the file was set aside
   * (corrupt) or could not be read.
   */
  load(): Promise<{ readonly entries: readonly HistoryEntry[]; readonly warning?: string }>;
  /** Adds an entry, saves, and resolves to the entries (newest first); rejects when the file cannot be written. */
  add(entry: HistoryEntry): Promise<readonly HistoryEntry[]>;
}

/** A history kept in the JSON file at `path`; `now` names a set-aside file. */
export function fileHistory(path: string, now: () => Date = () => new Date()): CallHistory {
  let entries: HistoryEntry[] | undefined;
  let writing: Promise<unknown> = Promise.resolve();

  const read = async (): Promise<{ entries: HistoryEntry[]; warning?: string }> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [] };
      return { entries: [], warning: `cannot read the call history ${path}: ${(error as Error).message}` };
    }
    const parsed = parseHistory(text);
    if (parsed.ok) return { entries: parsed.entries };
    const aside = `${path}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await rename(path, aside);
    } catch (error) {
      return { entries: [], warning: `the call history ${path} is corrupt (${parsed.detail}) and cannot be moved aside: ${(error as Error).message}` };
    }
    return { entries: [], warning: `the call history ${path} was corrupt (${parsed.detail}): kept as ${aside}, starting a new one` };
  };

  return {
    async load() {
      const result = await read();
      entries = result.entries;
      return result;
    },
    add(entry) {
      const next = [entry, ...(entries ?? [])].slice(0, HISTORY_LIMIT);
      entries = next;
      const save = writing.then(async () => {
        await mkdir(dirname(path), { recursive: true });
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(next, null, 1)}\n`, { mode: 0o600 });
        await rename(temporary, path);
      });
      writing = save.catch(() => undefined);
      return save.then(() => next);
    },
  };
}

/** Reads a history file's text; entries of unknown shape make the whole file corrupt. */
export function parseHistory(text: string): { readonly ok: true; readonly entries: HistoryEntry[] } | { readonly ok: false; readonly detail: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
  if (!Array.isArray(value)) return { ok: false, detail: 'not a list of calls' };
  for (const [index, item] of value.entries()) {
    if (!isEntry(item)) return { ok: false, detail: `entry ${index + 1} is not a call` };
  }
  return { ok: true, entries: (value as HistoryEntry[]).slice(0, HISTORY_LIMIT) };
}

function isEntry(item: unknown): item is HistoryEntry {
  if (typeof item !== 'object' || item === null) return false;
  const e = item as Record<string, unknown>;
  return (
    typeof e['peer'] === 'string' &&
    (e['direction'] === 'outgoing' || e['direction'] === 'incoming') &&
    typeof e['startedAt'] === 'string' &&
    typeof e['durationMs'] === 'number' &&
    typeof e['outcome'] === 'string' &&
    typeof e['missed'] === 'boolean' &&
    (e['secure'] === undefined || typeof e['secure'] === 'boolean')
  );
}
