/**
 * A check at start-up that `device` audio can work at all, so that a machine
 * without a sound card fails at once with what to pass instead, not at the first call.
 */
import type { AudioDeviceInfo } from '@voip/media';
import { isDeviceSpec as isDevice } from './output-isolation.js';
import type { Checked } from './validate.js';

/** Lists the audio devices (by default @voip/media's `listAudioDevices`). */
export type ListDevices = () => Promise<readonly AudioDeviceInfo[]>;

/**
 * Fails with code 'no-audio-device' when a `device` spec is asked for and no
 * device of that direction exists (or the audio backend cannot load).
 */
export async function checkAudioDevices(audioIn: string, audioOut: string, list: ListDevices): Promise<Checked<void>> {
  const wantsIn = isDevice(audioIn);
  const wantsOut = isDevice(audioOut);
  if (!wantsIn && !wantsOut) return { ok: true, value: undefined };
  let devices: readonly AudioDeviceInfo[];
  try {
    devices = await list();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'no-audio-device', detail: `audio devices are unavailable (${why}): ${advice(wantsIn, wantsOut)}` };
  }
  const missing: string[] = [];
  if (wantsIn && !devices.some((d) => d.maxInputChannels > 0)) missing.push('input');
  if (wantsOut && !devices.some((d) => d.maxOutputChannels > 0)) missing.push('output');
  if (missing.length === 0) return { ok: true, value: undefined };
  return { ok: false, code: 'no-audio-device', detail: `no audio ${missing.join(' or ')} device found: ${advice(missing.includes('input'), missing.includes('output'))}` };
}

function advice(input: boolean, output: boolean): string {
  const parts: string[] = [];
  if (input) parts.push('--audio-in (wav:PATH, tone[:HZ] or silence)');
  if (output) parts.push('--audio-out (wav:PATH or null)');
  return `pass ${parts.join(' and ')}`;
}
