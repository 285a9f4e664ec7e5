import { describe, expect, test } from 'vitest';
import { checkAudioDevices } from './audio-check.js';

const device = (name: string, inputs: number, outputs: number) => ({ id: 0, name, maxInputChannels: inputs, maxOutputChannels: outputs, defaultSampleRate: 8000, hostApi: 'ALSA' });

describe('checkAudioDevices', () => {
  test('no device spec: the backend is not even loaded', async () => {
    let loaded = false;
    const result = await checkAudioDevices('tone', 'null', async () => {
      loaded = true;
      return [];
    });
    expect(result.ok).toBe(true);
    expect(loaded).toBe(false);
  });

  test.each([
    ['device', 'device', [device('pulse', 1, 1)], undefined],
    ['device', 'null', [device('mic', 1, 0)], undefined],
    ['device', 'device', [], 'no audio input or output device found: pass --audio-in (wav:PATH, tone[:HZ] or silence) and --audio-out (wav:PATH or null)'],
    ['device:mic', 'null', [device('spk', 0, 2)], 'no audio input device found: pass --audio-in (wav:PATH, tone[:HZ] or silence)'],
    ['silence', 'device', [device('mic', 1, 0)], 'no audio output device found: pass --audio-out (wav:PATH or null)'],
  ])('%s / %s with %j', async (audioIn, audioOut, devices, detail) => {
    const result = await checkAudioDevices(audioIn, audioOut, async () => devices);
    if (detail === undefined) expect(result.ok).toBe(true);
    else expect(result).toEqual({ ok: false, code: 'no-audio-device', detail });
  });

  test('a backend that cannot load', async () => {
    const result = await checkAudioDevices('device', 'null', async () => {
      throw new Error('naudiodon is not installed');
    });
    expect(result).toMatchObject({ ok: false, code: 'no-audio-device' });
    if (!result.ok) expect(result.detail).toContain('naudiodon is not installed');
  });
});
