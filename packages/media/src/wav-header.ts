/** Reading and writing WAV headers: pure functions over bytes. */
import { fail, ok, type Result } from '@voip/protocol';

/** Size of the canonical header that {@link encodeWavHeader} writes. */
export const WAV_HEADER_BYTES = 44;

/** What a WAV file's `fmt ` chunk says, and where its samples are. */
export interface WavInfo {
  /** 1 = integer PCM (WAVE_FORMAT_EXTENSIBLE with a PCM sub-format is reported as 1). */
  readonly audioFormat: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  /** Byte offset of the first sample in the file. */
  readonly dataOffset: number;
  /** Bytes of sample data actually present (the declared size, cut to the file's length). */
  readonly dataBytes: number;
}

/** Why a WAV header did not parse. */
export type WavHeaderErrorCode = 'wav-format';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/**
 * Parses the RIFF/WAVE header found in `head` (the first bytes of a file of
 * `fileSize` bytes): walks the chunks up to `data`, skipping unknown ones. A data size
 * of 0 or 0xFFFFFFFF (streaming writers) or past the end of the file means "up to the
 * end of the file", so a recording cut short is still readable.
 */
export function parseWavHeader(head: Uint8Array, fileSize: number): Result<WavInfo, WavHeaderErrorCode> {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.length < 12 || fourcc(head, 0) !== 'RIFF' || fourcc(head, 8) !== 'WAVE') {
    return fail('wav-format', 'not a RIFF/WAVE file');
  }
  let at = 12;
  let fmt: Omit<WavInfo, 'dataOffset' | 'dataBytes'> | undefined;
  while (at + 8 <= head.length) {
    const id = fourcc(head, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > head.length) return fail('wav-format', 'fmt chunk too short');
      let audioFormat = view.getUint16(body, true);
      if (audioFormat === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 26 > head.length) return fail('wav-format', 'extensible fmt chunk too short');
        audioFormat = view.getUint16(body + 24, true);
      }
      fmt = {
        audioFormat,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (fmt === undefined) return fail('wav-format', 'data chunk before the fmt chunk');
      const available = Math.max(0, fileSize - body);
      const declared = size === 0 || size === 0xffffffff ? available : size;
      const dataBytes = Math.min(declared, available);
      return ok({ ...fmt, dataOffset: body, dataBytes });
    }
    at = body + size + (size & 1);
  }
  return fail('wav-format', fmt === undefined ? 'no fmt chunk found' : `no data chunk in the first ${head.length} bytes`);
}

/** Checks that a parsed WAV is what a call needs: 8000 Hz (or `sampleRate`), mono, 16-bit PCM. */
export function wavFormatProblem(info: WavInfo, sampleRate: number): string | undefined {
  const problems: string[] = [];
  if (info.audioFormat !== WAVE_FORMAT_PCM) problems.push(`encoding ${info.audioFormat} is not integer PCM`);
  if (info.channels !== 1) problems.push(`${info.channels} channels`);
  if (info.sampleRate !== sampleRate) problems.push(`${info.sampleRate} Hz`);
  if (info.bitsPerSample !== 16) problems.push(`${info.bitsPerSample}-bit samples`);
  return problems.length === 0 ? undefined : problems.join(', ');
}

/** The canonical 44-byte header of a mono 16-bit PCM WAV file holding `dataBytes` of samples. */
export function encodeWavHeader(sampleRate: number, dataBytes: number): Uint8Array {
  const bytes = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, WAVE_FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return bytes;
}
