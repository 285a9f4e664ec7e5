/** Tests of what the root and the internal entry export. */
import { describe, expect, it } from 'vitest';
import * as internal from './internal.js';
import * as root from './index.js';

describe('entry points', () => {
  it('the root exports the values of the documented API, and nothing else', () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        'AudioBackendMissingError',
        'AudioDeviceError',
        'AudioDeviceNotFoundError',
        'AudioError',
        'AudioFormatMismatchError',
        'AudioSpecError',
        'CLASSIC_FORMAT',
        'ETSI_RING_CADENCE',
        'WavFormatError',
        'WavUnreadableError',
        'WavWriteError',
        'createCallMedia',
        'createSecureCallMedia',
        'MediaKeyExhaustedError',
        'Reframer',
        'reframeSink',
        'reframeSource',
        'listAudioDevices',
        'openAudioSink',
        'openAudioSource',
        'parseAudioSpec',
        'startRingTone',
      ].sort(),
    );
  });

  it('the internal entry repeats nothing of the root', () => {
    const both = Object.keys(internal).filter((name) => name in root);
    expect(both).toEqual([]);
  });
});
