import stringWidth from 'string-width';
import { afterEach, describe, expect, test } from 'vitest';
import type { AppState } from '../../src/app-state.js';
import { Screen } from '../../src/ui/Screen.js';
import { cleanupSized, renderAt } from './sized-render.js';
import { NOW, classicCall, ev, mainWith, run, secureCall } from './screen-states.js';

afterEach(() => cleanupSized());

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const lines = (frame: string): string[] => frame.replace(ANSI, '').replace(/\n$/, '').split('\n');
const frameOf = (state: AppState, columns: number, rows: number): string => lines(renderAt(<Screen state={state} now={NOW} />, columns, rows).lastFrame()).join('\n');

const SIZES: Array<[number, number]> = [
  [60, 16],
  [80, 24],
  [200, 50],
];

describe('call security on the status line', () => {
  const main = mainWith(3);
  const raw = (state: AppState, columns: number, rows: number): string => renderAt(<Screen state={state} now={NOW} />, columns, rows).lastFrame();

  test.each(SIZES)('at %ix%i a long peer name does not push the SAS off the line', (columns, rows) => {
    const peer = 'b'.repeat(32);
    const state = run(mainWith(500), ev({ event: 'connected', peer, protocol: 'v2', secure: true, sas: 'K7QX' }));
    const shown = lines(raw(state, columns, rows));
    expect(shown.some((line) => line.startsWith('🔒 encrypted · SAS K7QX'))).toBe(true);
    for (const line of shown) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
  });

  test('a classic call is marked on a line of its own, visible without colours too', () => {
    const shown = lines(raw(run(main, classicCall), 60, 16));
    expect(shown).toContain('⚠ not encrypted (classic call)');
  });

  test('compared: the hint goes, "verified" comes; the next call asks again', () => {
    const verified = frameOf(run(main, secureCall, { type: 'sas-verified' }), 80, 24);
    expect(verified).toContain('🔒 encrypted · SAS K7QX verified');
    expect(verified).not.toContain('v: mark compared');
    const again = run(
      main,
      secureCall,
      { type: 'sas-verified' },
      ev({ event: 'ended', peer: 'bob', reason: 'hangup', direction: 'outgoing', message: 'you hung up the call with bob', durationMs: 1000 }),
      ev({ event: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas: 'ZZ42' }),
    );
    expect(frameOf(again, 80, 24)).toContain('🔒 encrypted · SAS ZZ42 · v: mark compared');
  });

  test('nothing about encryption before a call connects or after it ends', () => {
    expect(frameOf(run(main, ev({ event: 'calling', peer: 'bob' })), 80, 24)).not.toMatch(/encrypted/);
    const ended = run(main, secureCall, ev({ event: 'ended', peer: 'bob', reason: 'remote-hangup', direction: 'outgoing', message: 'bob hung up', durationMs: 1000 }));
    expect(frameOf(ended, 80, 24)).not.toContain('🔒');
  });

  test('the history says which calls were encrypted', () => {
    const at = new Date(2026, 11, 1, 9, 15).toISOString();
    const entries = [
      { peer: 'bob', direction: 'outgoing' as const, startedAt: at, durationMs: 83_000, outcome: 'hangup' as const, missed: false, secure: true },
      { peer: 'carol', direction: 'incoming' as const, startedAt: at, durationMs: 1_000, outcome: 'remote-hangup' as const, missed: false, secure: false },
      { peer: 'dave', direction: 'incoming' as const, startedAt: at, durationMs: 0, outcome: 'not-secure' as const, missed: false },
    ];
    const frame = frameOf(run(main, ev({ event: 'history', entries }), { type: 'view', view: 'history' }), 120, 30);
    expect(frame).toContain('→ bob · 2026-12-01 09:15 · 01:23 · ended · 🔒 encrypted');
    expect(frame).toContain('← carol · 2026-12-01 09:15 · 00:01 · they hung up · not encrypted');
    expect(frame).toMatch(/← dave · 2026-12-01 09:15 · 00:00 · refused: not encrypted\s*│/);
  });
});
