/**
 * `voip-client --no-tui`: drives a phone from flags and stdin commands and writes
 * one JSON event a line on stdout (see json-events.ts and the README).
 */
import { realClock, type Clock } from '@voip/clock';
import type { CliOptions } from './cli-args.js';
import { EXIT } from './exit-codes.js';
import { formatEventLine, type ClientEvent } from './json-events.js';
import type { CallFailure, ConnectPhone, EndReason, PhoneApi, PhoneEvents } from './phone-contract.js';
import { checkName } from './validate.js';

/** How long `--call NAME` keeps looking a name up that is not online yet. */
export const CALL_LOOKUP_WINDOW_MS = 10_000;
/** Pause between two look-ups of `--call NAME`. */
export const CALL_LOOKUP_RETRY_MS = 500;

/** Where the headless runner writes. */
export interface TextOut {
  write(text: string): unknown;
}

/** What the headless runner needs; everything with I/O is injected. */
export interface HeadlessDeps {
  /** Parsed command line; `server` and `name` must be set. */
  readonly options: CliOptions;
  readonly connect: ConnectPhone;
  /** Turns a rejection of `phone.call()` into an end reason. */
  readonly callFailure: (error: unknown) => CallFailure;
  /** JSON event lines. */
  readonly stdout: TextOut;
  /** Diagnostics for people. */
  readonly stderr: TextOut;
  readonly scheduler?: Clock;
  /** Wall-clock time stamped on events; default `new Date()`. */
  readonly wallTime?: () => Date;
}

/** A running headless client. */
export interface HeadlessRun {
  /** The exit code, once the client has closed its phone. */
  readonly exitCode: Promise<number>;
  /** One stdin command line: `call NAME`, `accept`, `reject`, `hangup`, `quit`. */
  command(line: string): void;
  /** SIGINT/SIGTERM: hang up, unregister, exit 0. */
  stop(): void;
}

const BUSY_STATES = new Set(['dialing', 'calling', 'ringing', 'in-call']);

/** Starts the headless client. */
export function startHeadless(deps: HeadlessDeps): HeadlessRun {
  const { options, connect, callFailure, stdout, stderr } = deps;
  const scheduler = deps.scheduler ?? realClock;
  const wallTime = deps.wallTime ?? (() => new Date());
  if (options.server === undefined || options.name === undefined) throw new TypeError('headless run needs server and name');
  const server = options.server;

  let resolveExit!: (code: number) => void;
  let rejectExit!: (error: unknown) => void;
  const exitCode = new Promise<number>((resolve, reject) => {
    resolveExit = resolve;
    rejectExit = reject;
  });
  let phone: PhoneApi | undefined;
  let finishing = false;
  let stopRequested = false;
  let directoryLost = false;
  let connectedThisCall = false;
  let endedSeq = 0;
  let hangupTimer: unknown;
  let retryTimer: unknown;
  let usersSeen = false;
  const pending: string[] = [];
  /** `--call` target while its look-up may still be retried. */
  let lookingUp: { readonly name: string; readonly since: number } | undefined;

  const emit = (event: ClientEvent): void => {
    stdout.write(formatEventLine(event, wallTime()));
  };
  const diag = (text: string): void => {
    stderr.write(`voip-client: ${text}\n`);
  };

  const finish = (code: number): void => {
    if (finishing) return;
    finishing = true;
    lookingUp = undefined;
    if (hangupTimer !== undefined) scheduler.clearTimeout(hangupTimer);
    if (retryTimer !== undefined) scheduler.clearTimeout(retryTimer);
    const current = phone;
    if (!current) return resolveExit(code);
    // Listeners stay until the phone is closed, so the `ended` of a call hung up on
    // the way out is still written.
    current.close().then(
      () => {
        detach(current);
        resolveExit(code);
      },
      (error: unknown) => {
        detach(current);
        diag(`closing failed: ${error instanceof Error ? error.message : String(error)}`);
        resolveExit(code === EXIT.ok ? EXIT.critical : code);
      },
    );
  };

  const callEnded = (event: { readonly peer: string; readonly reason: EndReason; readonly detail?: string }): void => {
    endedSeq++;
    if (hangupTimer !== undefined) scheduler.clearTimeout(hangupTimer);
    hangupTimer = undefined;
    emit({ event: 'ended', peer: event.peer, reason: event.reason, ...(event.detail !== undefined ? { detail: event.detail } : {}) });
    const connected = connectedThisCall;
    connectedThisCall = false;
    if (directoryLost) finish(EXIT.critical);
    else if (options.exitAfterCall) finish(connected ? EXIT.ok : EXIT.warning);
  };

  const onIncoming = (e: PhoneEvents['incoming'][0]): void => {
    emit({ event: 'incoming', caller: e.caller, ip: e.ip, port: e.port });
    const p = phone;
    if (options.autoAnswer && p) guarded('accept', () => p.accept());
  };
  const onCalling = (e: PhoneEvents['calling'][0]): void => emit({ event: 'calling', peer: e.peer });
  const onConnected = (e: PhoneEvents['connected'][0]): void => {
    connectedThisCall = true;
    lookingUp = undefined;
    emit({ event: 'connected', peer: e.peer });
    if (options.hangupAfterMs !== undefined) {
      hangupTimer = scheduler.setTimeout(() => {
        hangupTimer = undefined;
        phone?.hangup();
      }, options.hangupAfterMs);
    }
  };
  const onEnded = (e: PhoneEvents['ended'][0]): void => {
    if (lookingUp && e.reason === 'not-found' && sameName(e.peer, lookingUp.name)) {
      // The look-up is retried; the final verdict is written by placeCall's failure path.
      endedSeq++;
      return;
    }
    callEnded(e);
  };
  const onUsers = (users: PhoneEvents['users'][0]): void => {
    usersSeen = true;
    emit({ event: 'users', users });
  };
  const onStats = (stats: PhoneEvents['stats'][0]): void => emit(statsEvent(stats));
  const onLog = (e: PhoneEvents['log'][0]): void => emit({ event: 'log', level: e.level, message: e.message });
  const onDisconnected = (e: PhoneEvents['disconnected'][0]): void => {
    if (finishing || directoryLost) return;
    directoryLost = true;
    lookingUp = undefined;
    if (retryTimer !== undefined) scheduler.clearTimeout(retryTimer);
    const message = `lost the directory at ${server}: ${e.reason}`;
    emit({ event: 'error', code: 'directory-lost', message });
    diag(message);
    if (!phone || !BUSY_STATES.has(phone.state)) finish(EXIT.critical);
    else diag('exiting once the call in progress ends');
  };

  // Every listener this runner puts on a phone, so that detach removes exactly those.
  const listeners = {
    incoming: onIncoming,
    calling: onCalling,
    connected: onConnected,
    ended: onEnded,
    users: onUsers,
    stats: onStats,
    log: onLog,
    disconnected: onDisconnected,
  } satisfies { [E in keyof PhoneEvents]?: (...args: PhoneEvents[E]) => void };
  const attach = (p: PhoneApi): void => {
    for (const [event, listener] of Object.entries(listeners)) p.on(event as keyof PhoneEvents, listener as never);
  };
  const detach = (p: PhoneApi): void => {
    for (const [event, listener] of Object.entries(listeners)) p.off(event as keyof PhoneEvents, listener as never);
  };

  /** Places a call; `retryLookup` keeps looking a missing name up (for --call). */
  const placeCall = (p: PhoneApi, name: string, retryLookup: boolean): void => {
    const seqAtStart = endedSeq;
    if (retryLookup && !lookingUp) lookingUp = { name, since: scheduler.now() };
    p.call(name).then(
      () => undefined,
      (error: unknown) => {
        // Let an `ended` event the phone emits with the rejection arrive first.
        scheduler.setTimeout(() => {
          if (finishing) return;
          const failure = callFailure(error);
          const look = lookingUp;
          if (failure.kind === 'refused') {
            lookingUp = undefined;
            if (!retryLookup) return emit({ event: 'log', level: 'warn', message: `cannot call ${name}: ${failure.message}` });
            return callEnded({ peer: name, reason: 'error', detail: failure.message });
          }
          if (look && failure.reason === 'not-found') {
            if (scheduler.now() - look.since + CALL_LOOKUP_RETRY_MS <= CALL_LOOKUP_WINDOW_MS) {
              emit({ event: 'log', level: 'info', message: `${name} is not online yet; looking again in ${CALL_LOOKUP_RETRY_MS} ms` });
              retryTimer = scheduler.setTimeout(() => {
                retryTimer = undefined;
                if (!finishing && lookingUp === look) placeCall(p, name, true);
              }, CALL_LOOKUP_RETRY_MS);
              return;
            }
            lookingUp = undefined;
            callEnded({ peer: name, reason: 'not-found', detail: failure.detail ?? `${name} did not come online within ${CALL_LOOKUP_WINDOW_MS / 1000} s` });
            return;
          }
          lookingUp = undefined;
          if (endedSeq === seqAtStart) callEnded({ peer: name, reason: failure.reason, ...(failure.detail !== undefined ? { detail: failure.detail } : {}) });
        }, 0);
      },
    );
  };

  const runCommand = (p: PhoneApi, line: string): void => {
    const text = line.trim();
    if (text === '') return;
    const [verb = '', ...rest] = text.split(/\s+/);
    switch (verb.toLowerCase()) {
      case 'call': {
        const name = text.slice(verb.length).trim();
        const checked = checkName(name, 'name to call');
        if (!checked.ok) return emit({ event: 'log', level: 'warn', message: `call: ${checked.detail}` });
        return placeCall(p, checked.value, false);
      }
      case 'accept':
      case 'reject':
      case 'hangup':
      case 'quit':
        if (rest.length > 0) return emit({ event: 'log', level: 'warn', message: `${verb} takes no argument` });
        if (verb === 'quit') return stop();
        return guarded(verb, () => (verb === 'accept' ? p.accept() : verb === 'reject' ? p.reject() : p.hangup()));
      default:
        emit({ event: 'log', level: 'warn', message: `unknown command "${verb}": use call NAME, accept, reject, hangup or quit` });
    }
  };

  /** Runs a phone action; a refusal (e.g. nothing rings) becomes a warning line. */
  const guarded = (what: string, action: () => void): void => {
    try {
      action();
    } catch (error) {
      emit({ event: 'log', level: 'warn', message: `${what}: ${error instanceof Error ? error.message : String(error)}` });
    }
  };

  const stop = (): void => {
    if (finishing) return;
    stopRequested = true;
    if (!phone) return; // finish once connect settles
    lookingUp = undefined;
    const p = phone;
    guarded('hangup', () => p.hangup());
    finish(EXIT.ok);
  };

  connect({
    server,
    name: options.name,
    udpPort: options.udpPort,
    audioIn: options.audioIn,
    audioOut: options.audioOut,
    ringTimeoutMs: options.ringTimeoutMs,
    silenceTimeoutMs: options.silenceTimeoutMs,
  }).then(
    (result) => {
      if (!result.ok) {
        emit({ event: 'error', code: result.code, message: result.detail });
        diag(result.detail);
        return finish(stopRequested ? EXIT.ok : EXIT.critical);
      }
      const p = result.value;
      phone = p;
      attach(p);
      emit({ event: 'registered', name: p.name, server, udpPort: p.udpPort, listSupported: p.listSupported });
      if (stopRequested) return stop();
      if (p.listSupported) {
        p.users().then(
          (users) => {
            if (!usersSeen && !finishing) onUsers(users);
          },
          (error: unknown) => emit({ event: 'log', level: 'warn', message: `could not list users: ${error instanceof Error ? error.message : String(error)}` }),
        );
      } else {
        emit({ event: 'log', level: 'info', message: 'this directory does not list users (classic server): call by name' });
      }
      for (const line of pending.splice(0)) runCommand(p, line);
      if (options.call !== undefined && !finishing) placeCall(p, options.call, true);
    },
    (error: unknown) => {
      // connect() reports expected failures as results; a rejection is a bug.
      finishing = true;
      rejectExit(error);
    },
  );

  return {
    exitCode,
    command(line: string): void {
      if (finishing) return;
      if (!phone) pending.push(line);
      else runCommand(phone, line);
    },
    stop,
  };
}

/** The documented figures only (the phone may report more), durations in whole ms, levels to 0.01 dB. */
function statsEvent(stats: PhoneEvents['stats'][0]): ClientEvent {
  const level = (dbfs: number): number => (Number.isFinite(dbfs) ? Math.round(dbfs * 100) / 100 : dbfs);
  return {
    event: 'stats',
    packetsSent: stats.packetsSent,
    packetsReceived: stats.packetsReceived,
    packetsLost: stats.packetsLost,
    packetsDropped: stats.packetsDropped,
    inputLevelDbfs: level(stats.inputLevelDbfs),
    outputLevelDbfs: level(stats.outputLevelDbfs),
    durationMs: Math.round(stats.durationMs),
  };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
