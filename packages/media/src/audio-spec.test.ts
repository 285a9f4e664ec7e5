/** Tests of the audio spec parser. */
import { describe, expect, it } from 'vitest';
import { parseAudioSpec, type AudioSpec } from './audio-spec.js';

describe('parseAudioSpec', () => {
  const good: Array<[string, 'input' | 'output', AudioSpec]> = [
    ['device', 'input', { kind: 'device', device: { by: 'default' } }],
    ['device', 'output', { kind: 'device', device: { by: 'default' } }],
    ['device:pulse', 'input', { kind: 'device', device: { by: 'name', name: 'pulse' } }],
    ['device:USB Audio: hw:1,0', 'output', { kind: 'device', device: { by: 'name', name: 'USB Audio: hw:1,0' } }],
    ['device:3', 'input', { kind: 'device', device: { by: 'index', index: 3 } }],
    ['wav:/tmp/a.wav', 'input', { kind: 'wav', path: '/tmp/a.wav' }],
    ['wav:c:/x.wav', 'output', { kind: 'wav', path: 'c:/x.wav' }],
    ['tone', 'input', { kind: 'tone', frequencyHz: 440 }],
    ['tone:1000', 'input', { kind: 'tone', frequencyHz: 1000 }],
    ['tone:261.5', 'input', { kind: 'tone', frequencyHz: 261.5 }],
    ['silence', 'input', { kind: 'silence' }],
    ['null', 'output', { kind: 'null' }],
  ];
  it.each(good)('%s as %s', (spec, direction, expected) => {
    expect(parseAudioSpec(spec, direction)).toEqual({ ok: true, value: expected });
  });

  const bad: Array<[string, 'input' | 'output']> = [
    ['', 'input'],
    ['mic', 'input'],
    ['device:', 'input'],
    ['wav:', 'output'],
    ['wav', 'input'],
    ['tone:0', 'input'],
    ['tone:4000', 'input'],
    ['tone:abc', 'input'],
    ['tone:', 'input'],
    ['tone', 'output'],
    ['silence', 'output'],
    ['silence:1', 'input'],
    ['null', 'input'],
    ['null:x', 'output'],
  ];
  it.each(bad)('rejects %j as %s', (spec, direction) => {
    const r = parseAudioSpec(spec, direction);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('bad-audio-spec');
      expect(r.detail).toMatch(direction === 'input' ? /^audio input / : /^audio output /);
      expect(r.detail).not.toContain('--');
    }
  });
});
