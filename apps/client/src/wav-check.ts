/**
 * A check at start-up that `wav:` audio can work, so that a missing or malformed WAV
 * file, or an output folder that cannot be written, fails at once with the reason,
 * not at the first call.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openAudioSource } from '@voip/media';
import type { Checked } from './validate.js';

/** Opens an input spec and closes it again; rejects with the reason it cannot be used. */
export type ProbeSource = (spec: string) => Promise<void>;

const probeWithMedia: ProbeSource = async (spec) => {
  const source = await openAudioSource(spec);
  await source.close();
};

/**
 * Fails with code 'audio-file' when `--audio-in wav:PATH` cannot be read as an
 * 8 kHz 16-bit mono WAV, or when the folder of `--audio-out wav:PATH` is missing or
 * not writable (the file itself is only created when a call starts).
 */
export async function checkWavFiles(audioIn: string, audioOut: string, probe: ProbeSource = probeWithMedia): Promise<Checked<void>> {
  if (audioIn.startsWith('wav:')) {
    try {
      await probe(audioIn);
    } catch (error) {
      return { ok: false, code: 'audio-file', detail: error instanceof Error ? error.message : String(error) };
    }
  }
  if (audioOut.startsWith('wav:')) {
    const path = resolve(audioOut.slice('wav:'.length));
    const folder = dirname(path);
    try {
      if (!statSync(folder).isDirectory()) throw new Error('not a folder');
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      return { ok: false, code: 'audio-file', detail: `cannot write ${path}: folder ${folder} is unusable (${why}); choose another with --audio-out (wav:PATH or null)` };
    }
  }
  return { ok: true, value: undefined };
}
