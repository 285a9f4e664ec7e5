/** Mounts the live dashboard on the process's terminal and gives the terminal back on unmount. */
import { render } from 'ink';
import { DashboardApp } from './DashboardApp.js';
import type { DashboardStore } from './dashboard-state.js';

/** A dashboard on the terminal. */
export interface MountedDashboard {
  /** Removes the dashboard and gives the terminal back. */
  unmount(): void;
}

/** Draws the live dashboard on the process's terminal; `onQuit` runs once on Ctrl-C, or on `q` (confirmed with `y` while users are online). */
export function mountDashboard(store: DashboardStore, onQuit: () => void): MountedDashboard {
  const instance = render(<DashboardApp store={store} onQuit={onQuit} />, { exitOnCtrlC: false, patchConsole: false });
  return {
    unmount() {
      instance.unmount();
      instance.cleanup();
    },
  };
}
