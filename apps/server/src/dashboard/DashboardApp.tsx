import { useInput, useStdout } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { Dashboard } from './Dashboard.js';
import type { DashboardStore } from './dashboard-state.js';

/** Props of {@link DashboardApp}. */
export interface DashboardAppProps {
  readonly store: DashboardStore;
  /** Called once when the user presses `q` or Ctrl-C. */
  readonly onQuit: () => void;
}

/** The live dashboard: reads the store, follows the terminal size, handles `q` and Ctrl-C. */
export function DashboardApp({ store, onQuit }: DashboardAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { stdout } = useStdout();
  const [rows, setRows] = useState(stdout.rows || 24);
  useEffect(() => {
    const onResize = () => setRows(stdout.rows || 24);
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  useInput((input, key) => {
    if (input === 'q' || input === 'Q' || (key.ctrl && input === 'c')) {
      if (!store.getState().quitting) {
        store.dispatch({ type: 'quit-requested', at: new Date() });
        onQuit();
      }
    }
  });
  return <Dashboard state={state} rows={rows} />;
}
