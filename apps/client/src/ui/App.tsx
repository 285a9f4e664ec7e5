import { useInput } from 'ink';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { realClock, type Clock } from '@voip/clock';
import { formServers, formUdpPort, initialState, reduce } from '../app-state.js';
import { createStore } from '../store.js';
import type { CliOptions } from '../cli-args.js';
import { EXIT } from '../exit-codes.js';
import type { CallHistory } from '../history.js';
import { intentsForKey, splitKeys, type Intent } from '../key-bindings.js';
import { isDeviceSpec } from '../output-isolation.js';
import type { CallFailure, ConnectPhone } from '../phone-contract.js';
import { usePhoneDriver } from '../phone-driver-hook.js';
import type { PhoneEvent } from '../phone-events.js';
import { Screen } from './Screen.js';

/** How often the terminal bell rings while a call waits for an answer. */
export const BELL_INTERVAL_MS = 3000;

/** How the App asks to end the program. */
export interface AppExit {
  readonly code: number;
  /** Printed on stderr once the screen is released. */
  readonly message?: string;
}

/** Props of {@link App}. */
export interface AppProps {
  readonly options: CliOptions;
  readonly connect: ConnectPhone;
  readonly callFailure: (error: unknown) => CallFailure;
  readonly onExit: (exit: AppExit) => void;
  /** Set on SIGINT/SIGTERM: hang up, unregister, exit 0. */
  readonly quitRequested?: boolean;
  /** Where finished calls are kept; none with --no-history. */
  readonly history?: CallHistory;
  /** Timers of the bell and of the driver; default the real clock. */
  readonly clock?: Clock;
  /** Rings the terminal bell (tui.tsx writes BEL to the terminal); no bell when left out. */
  readonly bell?: () => void;
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The terminal client: holds the store and the phone driver, forwards keys as
 * intents and the driver's events as actions; the screens only render.
 */
export function App({ options, connect, callFailure, onExit, quitRequested = false, history, clock = realClock, bell }: AppProps) {
  const [store] = useState(() =>
    createStore(
      reduce,
      initialState({
        ...(options.server !== undefined ? { server: options.server } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
        udpPort: options.udpPort,
      }),
    ),
  );
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const dispatch = store.dispatch;
  const quittingRef = useRef(false);
  const onExitRef = useRef(onExit);
  onExitRef.current = onExit;

  const onEvent = useCallback(
    (event: PhoneEvent): void => {
      const now = store.getState();
      // With --server and --name, a failed connect exits (code 2) instead of showing the form.
      if (event.event === 'error' && now.screen === 'connecting' && now.exitOnConnectFailure) return onExitRef.current({ code: EXIT.critical, message: event.message });
      dispatch({ type: 'phone', event });
    },
    [store, dispatch],
  );
  const drivers = usePhoneDriver(() => ({ connect, callFailure, onEvent, clock, ...(history ? { history } : {}) }));

  const quit = useCallback(() => {
    if (quittingRef.current) return;
    quittingRef.current = true;
    drivers.release().then(
      () => onExitRef.current({ code: EXIT.ok }),
      (error: unknown) => onExitRef.current({ code: EXIT.critical, message: `closing failed: ${errorText(error)}` }),
    );
  }, [drivers]);

  useEffect(() => {
    if (quitRequested) quit();
  }, [quitRequested, quit]);

  // Connect when the form is submitted (or at once with --server and --name).
  useEffect(() => {
    if (state.screen !== 'connecting' || quittingRef.current) return;
    drivers
      .connect({
        server: formServers(state.form, options.server),
        name: state.form.values.name,
        udpPort: formUdpPort(state.form, options.udpPort),
        audioIn: options.audioIn,
        audioOut: options.audioOut,
        ringTimeoutMs: options.ringTimeoutMs,
        silenceTimeoutMs: options.silenceTimeoutMs,
        ringtone: isDeviceSpec(options.audioOut),
        secure: options.secure,
      })
      .catch((error: unknown) =>
        onExitRef.current({ code: EXIT.bug, message: `unexpected error (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }),
      );
    // Only a new connecting phase starts a connection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.screen]);

  // Back on the form with a phone (directory lost): release it.
  useEffect(() => {
    if (state.screen === 'connect' && drivers.current) {
      drivers.release().catch((error: unknown) => dispatch({ type: 'phone', event: { event: 'log', level: 'error', message: `closing failed: ${errorText(error)}` } }));
    }
  }, [state.screen, drivers, dispatch]);

  // An incoming call rings the terminal bell until it is answered or gone.
  const ringing = state.call.incoming !== undefined;
  useEffect(() => {
    if (!ringing || !bell) return;
    let timer: unknown;
    const ring = (): void => {
      bell();
      timer = clock.setTimeout(ring, BELL_INTERVAL_MS);
    };
    ring();
    return () => clock.clearTimeout(timer);
  }, [ringing, clock, bell]);

  const run = (intent: Intent): void => {
    const driver = drivers.current;
    switch (intent.kind) {
      case 'dispatch':
        return dispatch(intent.action);
      case 'quit':
        return quit();
      case 'call':
        void driver?.call(intent.name);
        return;
      case 'accept':
        return driver?.accept();
      case 'reject':
        return driver?.reject();
      case 'hangup':
        return driver?.hangup();
      case 'mute':
        return driver?.toggleMuted();
      case 'volume':
        return driver?.changeVolume(intent.delta);
    }
  };

  // Keys are read against the store's latest state, never a stale render's.
  const runRef = useRef(run);
  runRef.current = run;
  const onKey = useCallback(
    (input: string, key: Omit<Parameters<typeof intentsForKey>[1], 'input'>) => {
      for (const press of splitKeys({ input, ...key })) {
        for (const intent of intentsForKey(store.getState(), press)) runRef.current(intent);
      }
    },
    [store],
  );
  useInput(onKey);

  return <Screen state={state} />;
}
