/**
 * `voip-client --no-tui`: runs the phone driver from flags and stdin commands, writes
 * its events as JSON lines on stdout (see json-events.ts and the README), and decides
 * when to exit and with which code.
 */
import { realClock, type Clock } from '@voip/clock';
import type { CliOptions } from './cli-args.js';
import { EXIT } from './exit-codes.js';
import type { CallHistory } from './history.js';
import { formatEventLine, isJsonEvent } from './json-events.js';
import type { CallFailure, ConnectPhone } from './phone-contract.js';
import { createPhoneDriver } from './phone-driver.js';
import type { PhoneEvent } from './phone-events.js';
import { checkName } from './validate.js';

/** How long `--call NAME` waits for a name that is not online yet. */
export const CALL_LOOKUP_WINDOW_MS = 10_000;

/** Where the headless runner writes. */
export interface TextOut {
  write(text: string): unknown;
}

/** What the headless runner needs; everything with I/O is injected. */
export interface HeadlessDeps {
  /** Parsed command line; `server` and `name` must be set. */
  readonly options: CliOptions;
  readonly connect: ConnectPhone;
  /** Turns a rejection of `phone.call()` into a failure. */
  readonly callFailure: (error: unknown) => CallFailure;
  /** JSON event lines. */
  readonly stdout: TextOut;
  /** Diagnostics for people. */
  readonly stderr: TextOut;
  readonly scheduler?: Clock;
  /** Wall-clock time stamped on events and history entries; default `new Date()`. */
  readonly wallTime?: () => Date;
  /** The call history; none with --no-history. */
  readonly history?: CallHistory;
}

/** A running headless client. */
export interface HeadlessRun {
  /** The exit code, once the client has closed its phone. */
  readonly exitCode: Promise<number>;
  /** One stdin command line (see {@link COMMANDS}). */
  command(line: string): void;
  /** SIGINT/SIGTERM: hang up, unregister, exit 0. */
  stop(): void;
}

/** The stdin commands, for the warning of an unknown one. */
export const COMMANDS = 'call NAME, accept, reject, hangup, mute, unmute, volume N (0-200) or quit';

/** Starts the headless client. */
export function startHeadless(deps: HeadlessDeps): HeadlessRun {
  const { options, stdout, stderr } = deps;
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
  let registered = false;
  let finishing = false;
  let lost = false;
  let connectedThisCall = false;
  let hangupTimer: unknown;
  const pending: string[] = [];

  const write = (event: PhoneEvent): void => {
    if (isJsonEvent(event)) stdout.write(formatEventLine(event, wallTime()));
  };
  const diag = (text: string): void => {
    stderr.write(`voip-client: ${text}\n`);
  };
  const warn = (message: string): void => write({ event: 'log', level: 'warn', message });

  const finish = (code: number): void => {
    if (finishing) return;
    finishing = true;
    if (hangupTimer !== undefined) scheduler.clearTimeout(hangupTimer);
    driver.close().then(
      () => resolveExit(code),
      (error: unknown) => {
        diag(`closing failed: ${error instanceof Error ? error.message : String(error)}`);
        resolveExit(code === EXIT.ok ? EXIT.critical : code);
      },
    );
  };

  // The exit policy: what each event means for this process.
  const onEvent = (event: PhoneEvent): void => {
    write(event);
    switch (event.event) {
      case 'incoming':
        if (options.autoAnswer) driver.accept();
        return;
      case 'connected':
        connectedThisCall = true;
        if (options.hangupAfterMs !== undefined) {
          hangupTimer = scheduler.setTimeout(() => {
            hangupTimer = undefined;
            driver.hangup();
          }, options.hangupAfterMs);
        }
        return;
      case 'ended': {
        if (hangupTimer !== undefined) scheduler.clearTimeout(hangupTimer);
        hangupTimer = undefined;
        const connected = connectedThisCall;
        connectedThisCall = false;
        if (lost) finish(EXIT.critical);
        else if (options.exitAfterCall) finish(connected ? EXIT.ok : EXIT.warning);
        return;
      }
      case 'error':
        if (event.code !== 'directory-lost') return diag(event.message);
        lost = true;
        diag(event.message);
        if (!driver.busy) finish(EXIT.critical);
        else diag('exiting once the call in progress ends');
        return;
      default:
        return;
    }
  };

  const driver = createPhoneDriver({
    connect: deps.connect,
    callFailure: deps.callFailure,
    onEvent,
    clock: scheduler,
    wallTime,
    ...(deps.history ? { history: deps.history } : {}),
  });

  const runCommand = (line: string): void => {
    const text = line.trim();
    if (text === '') return;
    const [verb = '', ...rest] = text.split(/\s+/);
    switch (verb.toLowerCase()) {
      case 'call': {
        const checked = checkName(text.slice(verb.length).trim(), 'name to call');
        if (!checked.ok) return warn(`call: ${checked.detail}`);
        void driver.call(checked.value);
        return;
      }
      case 'volume': {
        if (rest.length !== 1 || !/^\d+$/.test(rest[0]!)) return warn('volume takes a number from 0 to 200, e.g. volume 80');
        return driver.setVolume(Number(rest[0]));
      }
      case 'accept':
      case 'reject':
      case 'hangup':
      case 'mute':
      case 'unmute':
      case 'quit':
        if (rest.length > 0) return warn(`${verb} takes no argument`);
        return verb === 'quit'
          ? stop()
          : verb === 'accept'
            ? driver.accept()
            : verb === 'reject'
              ? driver.reject()
              : verb === 'hangup'
                ? driver.hangup()
                : driver.setMuted(verb === 'mute');
      default:
        warn(`unknown command "${verb}": use ${COMMANDS}`);
    }
  };

  const stop = (): void => finish(EXIT.ok);

  driver
    .connect({
      server,
      name: options.name,
      udpPort: options.udpPort,
      audioIn: options.audioIn,
      audioOut: options.audioOut,
      ringTimeoutMs: options.ringTimeoutMs,
      silenceTimeoutMs: options.silenceTimeoutMs,
      secure: options.secure,
    })
    .then(
      (ok) => {
        if (finishing) return;
        if (!ok) return finish(EXIT.critical);
        registered = true;
        for (const line of pending.splice(0)) runCommand(line);
        if (options.call === undefined || finishing) return;
        void driver.call(options.call, { waitOnlineMs: CALL_LOOKUP_WINDOW_MS }).then((placed) => {
          if (!placed && options.exitAfterCall) finish(EXIT.warning);
        });
      },
      (error: unknown) => {
        // connect() reports expected failures as events; a rejection is a bug.
        finishing = true;
        rejectExit(error);
      },
    );

  return {
    exitCode,
    command(line: string): void {
      if (finishing) return;
      if (!registered) pending.push(line);
      else runCommand(line);
    },
    stop,
  };
}
