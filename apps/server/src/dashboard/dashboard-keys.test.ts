import { describe, expect, it } from 'vitest';
import { dashboardKey, type DashboardKey } from './dashboard-keys.js';
import { dashboardReducer, initialDashboardState, type DashboardState } from './dashboard-state.js';

const at = new Date('2024-05-01T12:00:00Z');
const size = { columns: 80, rows: 24 };
const none: DashboardKey = { ctrl: false, upArrow: false, downArrow: false, pageUp: false, pageDown: false, end: false };
const ctrlC: [string, DashboardKey] = ['c', { ...none, ctrl: true }];

const online: DashboardState = dashboardReducer(initialDashboardState, {
  type: 'server-event',
  event: { type: 'registered', at, connection: 'c1', name: 'alice', ip: '10.0.0.1', port: 5001, since: at },
});
const confirming = dashboardReducer(online, { type: 'quit-asked' });

describe('dashboardKey', () => {
  it.each<[string, DashboardState, [string, DashboardKey], boolean, string[]]>([
    ['q with nobody online quits at once', initialDashboardState, ['q', none], true, ['quit-requested']],
    ['q with users online asks', online, ['q', none], false, ['quit-asked']],
    ['y confirms', confirming, ['y', none], true, ['quit-requested']],
    ['Y confirms', confirming, ['Y', none], true, ['quit-requested']],
    ['n cancels', confirming, ['n', none], false, ['quit-cancelled']],
    ['q again cancels', confirming, ['q', none], false, ['quit-cancelled']],
    ['an arrow cancels', confirming, ['', { ...none, downArrow: true }], false, ['quit-cancelled']],
    ['Ctrl-C quits at once with users online', online, ctrlC, true, ['quit-requested']],
    ['Ctrl-C quits at once while asking', confirming, ctrlC, true, ['quit-requested']],
    ['other letters do nothing', online, ['x', none], false, []],
  ])('%s', (_name, state, [input, key], quit, actions) => {
    const outcome = dashboardKey(state, size, input, key, at);
    expect(outcome.quit).toBe(quit);
    expect(outcome.actions.map((a) => a.type)).toEqual(actions);
  });

  it('does nothing once quitting', () => {
    const quitting = dashboardReducer(online, { type: 'quit-requested', at });
    expect(dashboardKey(quitting, size, 'q', none, at)).toEqual({ actions: [], quit: false });
    expect(dashboardKey(quitting, size, ...ctrlC, at)).toEqual({ actions: [], quit: false });
  });

  it('confirming, then cancelling, leaves the dashboard as it was', () => {
    const back = dashboardReducer(confirming, { type: 'quit-cancelled' });
    expect(back).toEqual(online);
  });
});
