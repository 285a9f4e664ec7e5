/** The log pane keeps the beginning of an entry that does not fit, never a headless tail. */
import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { LogPane } from './LogPane.js';

const at = new Date(2026, 11, 1, 21, 12, 40).getTime();

describe('LogPane', () => {
  test('an entry taller than the pane shows its time and start, cut with an ellipsis', () => {
    const message = 'registered as alice at 127.0.0.1:10100, UDP port 5101';
    const { lastFrame } = render(<LogPane lines={[{ level: 'info', message, at }]} height={1} width={30} scroll={0} />);
    const body = (lastFrame() ?? '').split('\n').filter((line) => line.includes('21:12:40') || line.includes('port 5101'));
    expect(body).toHaveLength(1);
    expect(body[0]).toContain('21:12:40 registered as');
    expect(body[0]).toContain('…');
    expect(body[0]).not.toContain('port 5101');
  });

  test('entries that fit are shown whole, newest last', () => {
    const lines = [
      { level: 'info' as const, message: 'first', at },
      { level: 'warn' as const, message: 'second', at },
    ];
    const frame = render(<LogPane lines={lines} height={4} width={40} scroll={0} />).lastFrame() ?? '';
    expect(frame.indexOf('first')).toBeLessThan(frame.indexOf('second'));
    expect(frame).not.toContain('…');
  });
});
