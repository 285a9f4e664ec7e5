/** Audio spec strings (`device`, `wav:PATH`, `tone:HZ`, `silence`, `null`...): their parsed form and their parser. */
import { fail, ok, type Result } from '@voip/protocol';
import { audioAlternatives, audioSide, type AudioDirection } from './errors.js';

/** Default frequency of `tone`, in Hz. */
export const DEFAULT_TONE_HZ = 440;

/** Which device a `device` spec names: the default one, one by name, or one by index. */
export type DeviceSelector = { readonly by: 'default' } | { readonly by: 'name'; readonly name: string } | { readonly by: 'index'; readonly index: number };

/** A parsed audio spec string (input or output). */
export type AudioSpec =
  | { readonly kind: 'device'; readonly device: DeviceSelector }
  | { readonly kind: 'wav'; readonly path: string }
  | { readonly kind: 'tone'; readonly frequencyHz: number }
  | { readonly kind: 'silence' }
  | { readonly kind: 'null' };

/** Why a spec did not parse. */
export type AudioSpecErrorCode = 'bad-audio-spec';

/** The specs accepted for a direction, for help texts and error messages. */
export function audioSpecHelp(direction: AudioDirection): string {
  return direction === 'input' ? 'device, device:NAME, device:INDEX, wav:PATH, tone, tone:HZ, silence' : 'device, device:NAME, device:INDEX, wav:PATH, null';
}

/**
 * Parses an audio spec. Input accepts `device`, `device:NAME`, `device:INDEX`,
 * `wav:PATH`, `tone`, `tone:HZ` (1-3999 Hz, below the 4 kHz Nyquist limit) and
 * `silence`; output accepts `device...`, `wav:PATH` and `null` (discard).
 */
export function parseAudioSpec(spec: string, direction: AudioDirection): Result<AudioSpec, AudioSpecErrorCode> {
  const bad = (why: string) => fail('bad-audio-spec' as const, `${audioSide(direction)} ${JSON.stringify(spec)}: ${why}; expected one of ${audioSpecHelp(direction)}`);
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? undefined : spec.slice(colon + 1);

  switch (kind) {
    case 'device': {
      if (arg === undefined) return ok({ kind: 'device', device: { by: 'default' } });
      if (arg.trim() === '') return bad('empty device name');
      if (/^\d+$/.test(arg)) return ok({ kind: 'device', device: { by: 'index', index: Number(arg) } });
      return ok({ kind: 'device', device: { by: 'name', name: arg } });
    }
    case 'wav':
      if (arg === undefined || arg === '') return bad('missing file path (wav:PATH)');
      return ok({ kind: 'wav', path: arg });
    case 'tone': {
      if (direction !== 'input') return bad('a tone is an input only');
      if (arg === undefined) return ok({ kind: 'tone', frequencyHz: DEFAULT_TONE_HZ });
      const hz = Number(arg);
      if (arg.trim() === '' || !Number.isFinite(hz) || hz <= 0 || hz >= 4000) {
        return bad('tone frequency must be a number of Hz above 0 and below 4000');
      }
      return ok({ kind: 'tone', frequencyHz: hz });
    }
    case 'silence':
      if (direction !== 'input') return bad(`silence is an input; for no output use null`);
      if (arg !== undefined) return bad('silence takes no argument');
      return ok({ kind: 'silence' });
    case 'null':
      if (direction !== 'output') return bad(`null is an output; for no input use silence`);
      if (arg !== undefined) return bad('null takes no argument');
      return ok({ kind: 'null' });
    default:
      return bad(kind === '' ? 'empty spec' : `unknown kind ${JSON.stringify(kind)} (alternatives to a device: ${audioAlternatives(direction)})`);
  }
}
