/** Choosing a sound device from a `device` spec among the devices PortAudio lists. */
import { fail, ok, type Result } from '@voip/protocol';
import type { DeviceSelector } from './audio-spec.js';
import { audioAlternatives, audioSide, type AudioDirection } from './errors.js';
import type { AudioDeviceInfo } from './naudiodon-backend.js';

/** Why no device was chosen. */
export type DeviceSelectErrorCode = 'audio-device-not-found';

function channels(d: AudioDeviceInfo, direction: AudioDirection): number {
  return direction === 'input' ? d.maxInputChannels : d.maxOutputChannels;
}

/**
 * Picks the device a selector names among `devices`: by index, by exact name, else by
 * a case-insensitive part of a name matching exactly one device. The default is
 * returned as `id: -1` (PortAudio's default device) when any device has channels in
 * that direction. Errors tell the user which flag to change.
 */
export function selectAudioDevice(
  devices: readonly AudioDeviceInfo[],
  selector: DeviceSelector,
  direction: AudioDirection,
): Result<{ readonly id: number; readonly name: string }, DeviceSelectErrorCode> {
  const usable = devices.filter((d) => channels(d, direction) >= 1);
  const noun = direction === 'input' ? 'input' : 'output';
  const advice = `choose another ${audioSide(direction)} (${audioAlternatives(direction)}${usable.length ? ', or device:NAME among: ' + usable.map((d) => `${d.id} "${d.name}"`).join(', ') : ''})`;
  if (usable.length === 0) return fail('audio-device-not-found', `no audio ${noun} device found; ${advice}`);
  switch (selector.by) {
    case 'default':
      return ok({ id: -1, name: 'default' });
    case 'index': {
      const d = devices.find((x) => x.id === selector.index);
      if (d === undefined) return fail('audio-device-not-found', `no audio device number ${selector.index}; ${advice}`);
      if (channels(d, direction) < 1) return fail('audio-device-not-found', `audio device ${d.id} "${d.name}" has no ${noun}; ${advice}`);
      return ok({ id: d.id, name: d.name });
    }
    case 'name': {
      const exact = usable.find((d) => d.name === selector.name);
      if (exact) return ok({ id: exact.id, name: exact.name });
      const wanted = selector.name.toLowerCase();
      const partial = usable.filter((d) => d.name.toLowerCase().includes(wanted));
      if (partial.length === 1) return ok({ id: partial[0]!.id, name: partial[0]!.name });
      if (partial.length > 1) {
        return fail(
          'audio-device-not-found',
          `audio ${noun} device name "${selector.name}" matches several devices (${partial.map((d) => `"${d.name}"`).join(', ')}); choose another ${audioSide(direction)} by device:INDEX or by its full name`,
        );
      }
      return fail('audio-device-not-found', `no audio ${noun} device named "${selector.name}"; ${advice}`);
    }
  }
}
