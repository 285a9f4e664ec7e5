import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { formServer, formUdpPort, initialState, reduce, type Action } from '../app-state.js';
import { createStore } from '../store.js';
import type { CliOptions } from '../cli-args.js';
import { EXIT } from '../exit-codes.js';
import { intentsForKey, keyHelp, splitKeys, type Intent } from '../key-bindings.js';
import type { CallFailure, ConnectPhone, PhoneApi, PhoneEvents } from '../phone-contract.js';
import { ConnectForm } from './ConnectForm.js';
import { MainScreen } from './MainScreen.js';

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
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The terminal client: holds the reducer and the phone, forwards keys and phone
 * events as actions; the screens only render.
 */
export function App({ options, connect, callFailure, onExit, quitRequested = false }: AppProps) {
  const [store] = useState(() =>
    createStore(reduce, initialState({ ...(options.server !== undefined ? { server: options.server } : {}), ...(options.name !== undefined ? { name: options.name } : {}) })),
  );
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const dispatch = store.dispatch;
  const phoneRef = useRef<PhoneApi | undefined>(undefined);
  const detachRef = useRef<(() => void) | undefined>(undefined);
  const quittingRef = useRef(false);
  const endedSeqRef = useRef(0);
  /** Settles once the last released phone is closed, so its UDP port is free again. */
  const releasedRef = useRef<Promise<void>>(Promise.resolve());

  const releasePhone = useCallback((): Promise<void> => {
    const phone = phoneRef.current;
    phoneRef.current = undefined;
    detachRef.current?.();
    detachRef.current = undefined;
    const closing = phone ? phone.close() : Promise.resolve();
    const previous = releasedRef.current;
    releasedRef.current = Promise.all([previous, closing.catch(() => undefined)]).then(() => undefined);
    return Promise.all([previous, closing]).then(() => undefined);
  }, []);

  const quit = useCallback(() => {
    if (quittingRef.current) return;
    quittingRef.current = true;
    try {
      phoneRef.current?.hangup();
    } catch {
      // Nothing to hang up: closing below unregisters anyway.
    }
    releasePhone().then(
      () => onExit({ code: EXIT.ok }),
      (error: unknown) => onExit({ code: EXIT.critical, message: `closing failed: ${errorText(error)}` }),
    );
  }, [onExit, releasePhone]);

  useEffect(() => {
    if (quitRequested) quit();
  }, [quitRequested, quit]);

  // Connect when the form is submitted (or at once with --server and --name).
  useEffect(() => {
    if (state.screen !== 'connecting') return;
    let cancelled = false;
    const server = formServer(state.form);
    const exitOnFailure = state.exitOnConnectFailure;
    const name = state.form.values.name;
    // The previous phone (directory lost) must have freed the UDP port first.
    const attempt = releasedRef.current.then(() =>
      connect({
        server,
        name,
        udpPort: formUdpPort(state.form, options.udpPort),
        audioIn: options.audioIn,
        audioOut: options.audioOut,
        ringTimeoutMs: options.ringTimeoutMs,
        silenceTimeoutMs: options.silenceTimeoutMs,
      }),
    );
    attempt.then(
      (result) => {
        if (cancelled || quittingRef.current) {
          if (result.ok) void result.value.close();
          return;
        }
        if (!result.ok) {
          if (exitOnFailure) onExit({ code: EXIT.critical, message: result.detail });
          else dispatch({ type: 'connect-failed', detail: result.detail });
          return;
        }
        const phone = result.value;
        phoneRef.current = phone;
        detachRef.current = attach(phone, dispatch, endedSeqRef);
        dispatch({ type: 'registered', session: { name: phone.name, server, udpPort: phone.udpPort, listSupported: phone.listSupported } });
        if (phone.listSupported) {
          phone.users().then(
            (users) => dispatch({ type: 'users', users }),
            (error: unknown) => dispatch({ type: 'log', level: 'warn', message: `could not list users: ${errorText(error)}` }),
          );
        } else {
          dispatch({ type: 'log', level: 'warn', message: 'this directory does not list users (classic server): press c to call by name' });
        }
      },
      (error: unknown) => onExit({ code: EXIT.bug, message: `unexpected error (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }),
    );
    return () => {
      cancelled = true;
    };
    // Only a new connecting phase starts a connection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.screen]);

  // Back on the form with a phone (directory lost): release it.
  useEffect(() => {
    if (state.screen === 'connect' && phoneRef.current) {
      releasePhone().catch((error: unknown) => dispatch({ type: 'log', level: 'error', message: `closing failed: ${errorText(error)}` }));
    }
  }, [state.screen, releasePhone]);

  const run = (intent: Intent): void => {
    const phone = phoneRef.current;
    const guarded = (what: string, action: () => void): void => {
      try {
        action();
      } catch (error) {
        dispatch({ type: 'log', level: 'warn', message: `${what}: ${errorText(error)}` });
      }
    };
    switch (intent.kind) {
      case 'dispatch':
        return dispatch(intent.action);
      case 'quit':
        return quit();
      case 'accept':
        return guarded('accept', () => phone?.accept());
      case 'reject':
        return guarded('reject', () => phone?.reject());
      case 'hangup':
        return guarded('hang up', () => phone?.hangup());
      case 'call': {
        if (!phone) return;
        const seq = endedSeqRef.current;
        phone.call(intent.name).catch((error: unknown) => {
          const failure = callFailure(error);
          if (failure.kind === 'refused') dispatch({ type: 'log', level: 'warn', message: `cannot call ${intent.name}: ${failure.message}` });
          else if (endedSeqRef.current === seq) dispatch({ type: 'call-ended', peer: intent.name, reason: failure.reason, ...(failure.detail !== undefined ? { detail: failure.detail } : {}) });
        });
      }
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

  return (
    <Box flexDirection="column">
      {state.screen === 'main' ? (
        <MainScreen state={state} />
      ) : (
        <ConnectForm form={state.form} connecting={state.screen === 'connecting'} />
      )}
      <Text dimColor>{keyHelp(state)}</Text>
    </Box>
  );
}

/** Forwards a phone's events as actions; returns the function that detaches them. */
function attach(phone: PhoneApi, dispatch: (action: Action) => void, endedSeq: { current: number }): () => void {
  const handlers: { [E in keyof PhoneEvents]: (...args: PhoneEvents[E]) => void } = {
    state: (e) => dispatch({ type: 'phone-state', state: e.state, ...(e.peer !== undefined ? { peer: e.peer } : {}) }),
    incoming: (e) => dispatch({ type: 'incoming', caller: e.caller, ip: e.ip, port: e.port }),
    calling: (e) => dispatch({ type: 'calling', peer: e.peer }),
    connected: (e) => dispatch({ type: 'call-connected', peer: e.peer }),
    ended: (e) => {
      endedSeq.current++;
      dispatch({ type: 'call-ended', peer: e.peer, reason: e.reason, ...(e.detail !== undefined ? { detail: e.detail } : {}) });
    },
    users: (users) => dispatch({ type: 'users', users }),
    stats: (stats) => dispatch({ type: 'stats', stats }),
    log: (e) => dispatch({ type: 'log', level: e.level, message: e.message }),
    disconnected: (e) => dispatch({ type: 'directory-lost', reason: e.reason }),
  };
  const names = Object.keys(handlers) as (keyof PhoneEvents)[];
  for (const name of names) phone.on(name, handlers[name] as never);
  return () => {
    for (const name of names) phone.off(name, handlers[name] as never);
  };
}
