import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { HISTORY_LIMIT, fileHistory, historyPath, parseHistory } from './history.js';
import type { HistoryEntry } from './phone-events.js';

const entry = (peer: string, missed = false): HistoryEntry => ({ peer, direction: 'incoming', startedAt: '2024-05-01T12:00:00.000Z', durationMs: 0, outcome: 'cancelled', missed });

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'voip-history-'));
  dirs.push(dir);
  return dir;
}

describe('historyPath', () => {
  test.each<[NodeJS.ProcessEnv, string]>([
    [{ XDG_CONFIG_HOME: '/cfg' }, '/cfg/voip/history.json'],
    [{ XDG_CONFIG_HOME: '' }, '/home/al/.config/voip/history.json'],
    [{}, '/home/al/.config/voip/history.json'],
  ])('%j', (env, path) => expect(historyPath(env, '/home/al')).toBe(path));
});

describe('fileHistory', () => {
  test('no file yet: empty; adding creates the folder and the file, newest first', async () => {
    const path = join(await tempDir(), 'voip', 'history.json');
    const history = fileHistory(path);
    expect(await history.load()).toEqual({ entries: [] });
    await history.add(entry('bob'));
    expect(await history.add(entry('carol', true))).toEqual([entry('carol', true), entry('bob')]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([entry('carol', true), entry('bob')]);
    expect(await fileHistory(path).load()).toEqual({ entries: [entry('carol', true), entry('bob')] });
    expect((await readdir(join(path, '..'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test(`keeps at most ${HISTORY_LIMIT} entries`, async () => {
    const path = join(await tempDir(), 'history.json');
    await writeFile(path, JSON.stringify(Array.from({ length: HISTORY_LIMIT }, (_, i) => entry(`u${i}`))));
    const history = fileHistory(path);
    await history.load();
    const entries = await history.add(entry('newest'));
    expect(entries).toHaveLength(HISTORY_LIMIT);
    expect(entries[0]?.peer).toBe('newest');
    expect(entries.at(-1)?.peer).toBe(`u${HISTORY_LIMIT - 2}`);
  });

  test('a corrupt file is set aside, reported once, and a new history starts', async () => {
    const dir = await tempDir();
    const path = join(dir, 'history.json');
    await writeFile(path, '[{"peer": "bob"');
    const history = fileHistory(path, () => new Date('2024-05-01T12:00:00.000Z'));
    const loaded = await history.load();
    expect(loaded.entries).toEqual([]);
    expect(loaded.warning).toContain('history.json.corrupt-2024-05-01T12-00-00-000Z');
    expect(await readFile(join(dir, 'history.json.corrupt-2024-05-01T12-00-00-000Z'), 'utf8')).toBe('[{"peer": "bob"');
    await history.add(entry('carol'));
    expect(await fileHistory(path).load()).toEqual({ entries: [entry('carol')] });
  });
});

describe('parseHistory', () => {
  test.each([
    ['{}', 'not a list of calls'],
    ['[1]', 'entry 1 is not a call'],
    ['[{"peer":"bob","direction":"sideways","startedAt":"x","durationMs":0,"outcome":"hangup","missed":false}]', 'entry 1 is not a call'],
    ['[{"peer":"bob","direction":"outgoing","startedAt":"x","durationMs":0,"outcome":"hangup","missed":false,"secure":"yes"}]', 'entry 1 is not a call'],
  ])('%s', (text, detail) => expect(parseHistory(text)).toEqual({ ok: false, detail }));

  test('whether a call was encrypted is kept; entries of older files have no such field', () => {
    const call = { peer: 'bob', direction: 'outgoing', startedAt: 'x', durationMs: 1000, outcome: 'hangup', missed: false };
    const text = JSON.stringify([{ ...call, secure: true }, { ...call, secure: false }, call]);
    expect(parseHistory(text)).toEqual({ ok: true, entries: [{ ...call, secure: true }, { ...call, secure: false }, call] });
  });
});
