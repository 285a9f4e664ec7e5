/**
 * The terminal UI: renders the App with Ink and resolves to the exit code.
 */
import { render } from 'ink';
import type { CliOptions } from './cli-args.js';
import { diagnosticsOut } from './output-isolation.js';
import type { CallHistory } from './history.js';
import type { CallFailure, ConnectPhone } from './phone-contract.js';
import { App, type AppExit } from './ui/App.js';

/** What the TUI needs from outside. */
export interface TuiDeps {
  readonly connect: ConnectPhone;
  readonly callFailure: (error: unknown) => CallFailure;
  /** Where finished calls are kept; none with --no-history. */
  readonly history?: CallHistory;
  /** Where Ink draws; default process.stdout. */
  readonly stdout?: NodeJS.WriteStream;
}

/** Runs the TUI until the user quits or a fatal error; prints the error after Ink has left the screen. */
export async function runTui(options: CliOptions, deps: TuiDeps): Promise<number> {
  let outcome: AppExit = { code: 0 };
  let settle!: () => void;
  const exited = new Promise<void>((resolve) => (settle = resolve));
  const onExit = (exit: AppExit): void => {
    outcome = exit;
    settle();
  };
  const terminal = deps.stdout ?? process.stdout;
  // BEL moves no cursor: written beside Ink's frames, it leaves them intact.
  const bell = (): void => void terminal.write('\u0007');
  const tree = (quitRequested: boolean) => (
    <App
      options={options}
      connect={deps.connect}
      callFailure={deps.callFailure}
      quitRequested={quitRequested}
      onExit={onExit}
      bell={bell}
      {...(deps.history ? { history: deps.history } : {})}
    />
  );
  const app = render(tree(false), { exitOnCtrlC: false, ...(deps.stdout ? { stdout: deps.stdout } : {}) });
  // SIGINT/SIGTERM: hang up, unregister, exit 0, as the q key does.
  const onSignal = (): void => app.rerender(tree(true));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await exited;
    app.unmount();
    await app.waitUntilExit();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (outcome.message) diagnosticsOut().write(`voip-client: ${outcome.message}\n`);
  return outcome.code;
}
