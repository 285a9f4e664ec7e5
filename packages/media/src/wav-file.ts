/** WAV file sources and sinks (8000 Hz mono 16-bit PCM). */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { AudioFormat, AudioSink, AudioSource } from './audio-port.js';
import { assertFrameLength, CLASSIC_FORMAT } from './generators.js';
import { WavFormatError, WavUnreadableError, WavWriteError } from './errors.js';
import { encodeWavHeader, parseWavHeader, WAV_HEADER_BYTES, wavFormatProblem } from './wav-header.js';

/** Bytes read from the start of a WAV file to find its `data` chunk. */
const HEAD_BYTES = 64 * 1024;
/** A WAV sink rewrites its header every this many frames (~1 s), so a killed process leaves a readable file. */
const HEADER_REWRITE_FRAMES = 16;

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens a WAV file (8000 Hz mono signed 16-bit PCM) as a finite source. Frames are
 * read as needed; the last frame is zero-padded; then `readFrame()` returns null.
 * Throws {@link WavUnreadableError} or {@link WavFormatError}.
 */
export async function openWavSource(path: string, format: AudioFormat = CLASSIC_FORMAT): Promise<AudioSource> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new WavUnreadableError(path, `cannot read WAV file ${path} (${reason(error)}); choose another audio input (wav:PATH, tone, silence)`, { cause: error });
  }
  let info;
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(HEAD_BYTES, size));
    readSync(fd, head, 0, head.length, 0);
    const parsed = parseWavHeader(head, size);
    if (!parsed.ok) throw new WavFormatError(path, `${path} is not a usable WAV file: ${parsed.detail}`);
    const problem = wavFormatProblem(parsed.value, format.sampleRate);
    if (problem !== undefined) {
      throw new WavFormatError(
        path,
        `${path} is ${problem}; calls need ${format.sampleRate} Hz mono 16-bit PCM: convert it (e.g. sox IN.wav -r ${format.sampleRate} -c 1 -b 16 -e signed-integer OUT.wav)`,
      );
    }
    info = parsed.value;
  } catch (error) {
    closeSync(fd);
    if (error instanceof WavFormatError) throw error;
    throw new WavUnreadableError(path, `cannot read WAV file ${path} (${reason(error)})`, { cause: error });
  }

  const frameBytes = format.samplesPerFrame * 2;
  const end = info.dataOffset + info.dataBytes - (info.dataBytes & 1);
  let position = info.dataOffset;
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    closeSync(fd);
  };
  return {
    format,
    label: `wav:${path}`,
    readFrame(): Int16Array | null {
      if (!open || position >= end) return null;
      const bytes = new Uint8Array(frameBytes);
      const wanted = Math.min(frameBytes, end - position);
      let got = 0;
      while (got < wanted) {
        const n = readSync(fd, bytes, got, wanted - got, position + got);
        if (n === 0) break;
        got += n;
      }
      position += wanted;
      if (got < wanted) position = end; // the file shrank under us: end here
      const frame = new Int16Array(format.samplesPerFrame);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < got >> 1; i++) frame[i] = view.getInt16(i * 2, true);
      return frame;
    },
    close,
  };
}

/**
 * Creates (or truncates) a WAV file and returns a sink that appends frames to it. The
 * header is rewritten every second and on `close()`. Throws {@link WavWriteError}.
 */
export async function openWavSink(path: string, format: AudioFormat = CLASSIC_FORMAT): Promise<AudioSink> {
  let fd: number;
  try {
    fd = openSync(path, 'w');
    writeSync(fd, encodeWavHeader(format.sampleRate, 0), 0, WAV_HEADER_BYTES, 0);
  } catch (error) {
    throw new WavWriteError(path, `cannot write WAV file ${path} (${reason(error)}); choose another audio output (wav:PATH, null)`, { cause: error });
  }
  let dataBytes = 0;
  let frames = 0;
  let open = true;
  const label = `wav:${path}`;
  const writeHeader = () => writeSync(fd, encodeWavHeader(format.sampleRate, dataBytes), 0, WAV_HEADER_BYTES, 0);
  return {
    format,
    label,
    writeFrame(frame: Int16Array): void {
      if (!open) throw new WavWriteError(path, `${label} is closed`);
      assertFrameLength(frame, format, label);
      const bytes = new Uint8Array(frame.length * 2);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < frame.length; i++) view.setInt16(i * 2, frame[i]!, true);
      try {
        writeSync(fd, bytes, 0, bytes.length, WAV_HEADER_BYTES + dataBytes);
        dataBytes += bytes.length;
        if (++frames % HEADER_REWRITE_FRAMES === 0) writeHeader();
      } catch (error) {
        throw new WavWriteError(path, `cannot write WAV file ${path} (${reason(error)})`, { cause: error });
      }
    },
    async close(): Promise<void> {
      if (!open) return;
      open = false;
      try {
        writeHeader();
      } catch (error) {
        throw new WavWriteError(path, `cannot finish WAV file ${path} (${reason(error)})`, { cause: error });
      } finally {
        closeSync(fd);
      }
    },
  };
}
