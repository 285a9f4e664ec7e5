/** The live dashboard component: follows the store and the terminal size, and turns keys into actions. */
import { useInput, useStdout } from 'ink';
import { realClock, type Clock } from '@voip/clock';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Dashboard } from './Dashboard.js';
import type { TerminalSize } from './dashboard-layout.js';
import { dashboardKey } from './dashboard-keys.js';
import type { DashboardStore } from './dashboard-state.js';
import { DASHBOARD_FRAME_MS, throttledSubscribe } from './throttled-subscribe.js';

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  readonly store: DashboardStore;
  /** Called once when the user quits (`q`, confirmed while users are online, or Ctrl-C). */
  readonly onQuit: () => void;
  /** Paces redraws ({@link DASHBOARD_FRAME_MS}); default the real clock. */
  readonly clock?: Clock;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The live dashboard: reads the store, follows the terminal size, hands keys to {@link dashboardKey}. */
export function DashboardApp({ store, onQuit, clock = realClock }: DashboardAppProps) {
  // Every event changes the store; drawing a frame for each would cost more than serving the clients.
  const subscribe = useMemo(() => throttledSubscribe(store.subscribe, DASHBOARD_FRAME_MS, clock), [store, clock]);
  const state = useSyncExternalStore(subscribe, store.getState);
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  const sizeRef = useRef(size);
  sizeRef.current = size;
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  useInput((input, key) => {
    const outcome = dashboardKey(store.getState(), sizeRef.current, input, key, new Date());
    for (const action of outcome.actions) store.dispatch(action);
    if (outcome.quit) onQuit();
  });
  return <Dashboard state={state} rows={size.rows} columns={size.columns} />;
}
