import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { checkWavFiles } from './wav-check.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voip-wav-check-'));
  dirs.push(dir);
  return dir;
}

/** A minimal 8 kHz 16-bit mono WAV with `samples` zero samples. */
function wav(samples: number, { sampleRate = 8000, channels = 1 } = {}): Buffer {
  const data = samples * 2 * channels;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * 2 * channels, 28);
  b.writeUInt16LE(2 * channels, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  return b;
}

describe('checkWavFiles', () => {
  test('other specs need no check', async () => {
    expect(await checkWavFiles('tone', 'null')).toEqual({ ok: true, value: undefined });
  });

  test('a readable 8 kHz mono WAV in and a writable folder out pass', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.wav'), wav(1024));
    expect(await checkWavFiles(`wav:${join(dir, 'in.wav')}`, `wav:${join(dir, 'out.wav')}`)).toEqual({ ok: true, value: undefined });
  });

  test.each([
    ['a missing input file', (dir: string) => `wav:${join(dir, 'nope.wav')}`, /nope\.wav/],
    ['an input at the wrong rate', (dir: string) => (writeFileSync(join(dir, 'cd.wav'), wav(64, { sampleRate: 44100 })), `wav:${join(dir, 'cd.wav')}`), /44100|8000/],
    ['an input that is not a WAV', (dir: string) => (writeFileSync(join(dir, 'x.wav'), 'hello'), `wav:${join(dir, 'x.wav')}`), /x\.wav/],
  ])('%s fails at once with the reason', async (_label, make, pattern) => {
    const result = await checkWavFiles(make(tempDir()), 'null');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('audio-file');
      expect(result.detail).toMatch(pattern);
    }
  });

  test('an output in a missing folder fails and names --audio-out', async () => {
    const result = await checkWavFiles('silence', `wav:${join(tempDir(), 'missing', 'out.wav')}`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toMatch(/--audio-out/);
  });
});
