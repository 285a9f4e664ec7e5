import { DEFAULT_CALL_PORT, DEFAULT_DIRECTORY_PORT, parseHostPort, validateName, type DirectoryUser } from '@voip/protocol';
import { checkDurationMs, realClock, type Clock } from '@voip/clock';
import type { AudioSink, AudioSource } from '@voip/media';
import { CallAudio, type MediaFactory } from './call-audio.js';
import { defaultMedia, defaultRing } from './default-media.js';
import { CallRunner, type RunnerNotice } from './call-runner.js';
import { DirectoryClient, DirectoryError } from './directory/directory-client.js';
import { CallFailedError, PhoneError } from './errors.js';
import type { CallState, PhoneApi, PhoneEvents, PhoneOptions } from './phone-types.js';
import { TypedListeners } from './directory/typed-listeners.js';
import { bindUdpTransport, type UdpTransport } from './transport/udp-transport.js';

/** Options of {@link Phone.connect}: {@link PhoneOptions} plus a few for tests and tuning. */
export interface PhoneConnectOptions extends PhoneOptions {
  /** Spacing of START, ACCEPT and CLOSE repeats, ms; default 150. */
  readonly repeatIntervalMs?: number;
  /** Per-request timeout of the directory, ms; default 5 000. */
  readonly directoryTimeoutMs?: number;
  /** Interval of `stats` events during a call, ms; default 1 000. */
  readonly statsIntervalMs?: number;
  /** Replaces the audio of each call (default: @voip/media's createCallMedia over `audio`). */
  readonly media?: MediaFactory;
}

/**
 * The directory's host and port from `"host"`, `"host:port"`, `"[v6]:port"` (read by
 * @voip/protocol's `parseHostPort`; port 10000 when none is given) or `{ host, port }`.
 * Throws a PhoneError 'invalid-option'.
 */
export function parseServer(server: PhoneOptions['server']): { host: string; port: number } {
  if (typeof server === 'object' && server !== null) {
    if (typeof server.host !== 'string' || server.host.length === 0) throw new PhoneError('invalid-option', 'server.host must be a non-empty string');
    const port = server.port ?? DEFAULT_DIRECTORY_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new PhoneError('invalid-option', `server port must be an integer from 1 to 65535, got ${String(port)}`);
    return { host: server.host, port };
  }
  if (typeof server !== 'string') throw new PhoneError('invalid-option', 'server must be "host", "host:port" or { host, port }');
  const parsed = parseHostPort(server, DEFAULT_DIRECTORY_PORT);
  if (!parsed.ok) throw new PhoneError('invalid-option', `server: ${parsed.detail}`);
  return { host: parsed.value.host, port: parsed.value.port };
}

const DURATION_OPTIONS = ['ringTimeoutMs', 'silenceTimeoutMs', 'repeatIntervalMs', 'directoryTimeoutMs', 'statsIntervalMs'] as const;

/** Every duration given must pass @voip/clock's `checkDurationMs`. */
function checkDurations(options: PhoneConnectOptions): void {
  for (const key of DURATION_OPTIONS) {
    const value = options[key];
    if (value === undefined) continue;
    const reason = checkDurationMs(value);
    if (reason !== undefined) throw new PhoneError('invalid-option', `${key} ${reason}`);
  }
}

/**
 * A voip phone: registered in a directory, waiting for calls on a UDP port, able to
 * call other users by name (PROTOCOL.md, classic form).
 *
 * @example
 * const phone = await Phone.connect({ server: '127.0.0.1:10000', name: 'alice', udpPort: 5001, audio: { input: 'tone:440', output: 'null' } });
 * phone.on('incoming', () => phone.accept());
 * await phone.call('bob');
 * setTimeout(() => phone.hangup(), 5000);
 */
export class Phone implements PhoneApi {
  readonly name: string;
  readonly udpPort: number;
  readonly #transport: UdpTransport;
  readonly #directory: DirectoryClient;
  readonly #runner: CallRunner;
  readonly #audio: CallAudio;
  readonly #listeners = new TypedListeners<PhoneEvents>();
  readonly #owned: { close(): Promise<void> }[];
  /** The users online as WATCH last pushed them; undefined on a classic server. */
  #users: readonly DirectoryUser[] | undefined;
  #pending: { peer: string; resolve: () => void; reject: (error: Error) => void } | undefined;
  #directoryUp = true;
  #closing: Promise<void> | undefined;

  private constructor(init: {
    name: string;
    transport: UdpTransport;
    directory: DirectoryClient;
    options: PhoneConnectOptions;
    clock: Clock;
    users: readonly DirectoryUser[] | undefined;
  }) {
    const { options, clock } = init;
    this.name = init.name;
    this.udpPort = init.transport.local.port;
    this.#transport = init.transport;
    this.#directory = init.directory;
    this.#users = init.users;
    this.#owned = [options.audio?.input, options.audio?.output].filter((a): a is AudioSource | AudioSink => typeof a === 'object' && a !== null);
    this.#audio = new CallAudio({
      media: options.media ?? defaultMedia(options.audio, clock),
      ...(options.ringtone ? { ring: defaultRing(options.audio, clock) } : {}),
      clock,
      onLog: (level, message) => this.#emit('log', { level, message }),
    });
    this.#runner = new CallRunner({
      name: init.name,
      transport: init.transport,
      directory: init.directory,
      clock,
      media: this.#audio,
      timing: {
        ringTimeoutMs: options.ringTimeoutMs,
        silenceTimeoutMs: options.silenceTimeoutMs,
        repeatIntervalMs: options.repeatIntervalMs,
        statsIntervalMs: options.statsIntervalMs,
      },
      onNotice: (notice) => this.#onNotice(notice),
    });
    this.#transport.onError((error) => this.#emit('log', { level: 'warn', message: `UDP socket: ${error.message}` }));
    this.#directory.on('presence', (users) => {
      this.#users = users;
      this.#emit('users', users);
    });
    this.#directory.on('log', (entry) => this.#emit('log', entry));
    this.#directory.on('close', ({ reason, expected }) => {
      this.#directoryUp = false;
      if (expected) return;
      this.#runner.directoryLost();
      this.#emit('disconnected', { reason });
    });
  }

  /**
   * Binds the UDP port, connects to the directory, registers the name, then asks
   * for the user list and presence pushes when the server offers them. Rejects with
   * a {@link PhoneError}: 'invalid-option' (a bad server or duration), 'name-invalid', 'udp-port-in-use',
   * 'udp-bind-failed', 'server-unreachable', 'name-refused' or 'directory-error'.
   * Nothing stays open after a failure.
   */
  static async connect(options: PhoneConnectOptions): Promise<Phone> {
    checkDurations(options);
    const valid = validateName(options.name);
    if (!valid.ok) throw new PhoneError('name-invalid', `the name ${JSON.stringify(options.name)} is not allowed: ${valid.detail}`);
    const { host, port } = parseServer(options.server);
    const clock = options.clock ?? realClock;
    const transport = await bindUdpTransport({ port: options.udpPort ?? DEFAULT_CALL_PORT, ...(options.udpHost ? { host: options.udpHost } : {}) });
    let directory: DirectoryClient | undefined;
    try {
      try {
        directory = await DirectoryClient.connect({ host, port, clock, ...(options.directoryTimeoutMs !== undefined ? { requestTimeoutMs: options.directoryTimeoutMs, connectTimeoutMs: options.directoryTimeoutMs } : {}) });
      } catch (error) {
        if (error instanceof DirectoryError) throw new PhoneError('server-unreachable', error.message, { cause: error });
        throw error;
      }
      try {
        await directory.register(options.name, transport.local.port);
      } catch (error) {
        if (error instanceof DirectoryError && error.code === 'name-refused') {
          throw new PhoneError('name-refused', `the directory refused the name ${JSON.stringify(options.name)}${error.reason ? `: ${error.reason}` : ''}`, { cause: error });
        }
        throw new PhoneError('directory-error', `registering ${JSON.stringify(options.name)} failed: ${(error as Error).message}`, { cause: error });
      }
      let users: DirectoryUser[] | undefined;
      const keep = (pushed: DirectoryUser[]): void => void (users = pushed);
      directory.on('presence', keep);
      try {
        // Only our server (its REG answer carries "v") is sent WATCH; a classic one would not survive it.
        if (directory.serverVersion !== undefined) await directory.watch();
      } catch (error) {
        if (!(error instanceof DirectoryError && error.code === 'list-unsupported')) {
          throw new PhoneError('directory-error', `the directory failed after registration: ${(error as Error).message}`, { cause: error });
        }
      } finally {
        directory.off('presence', keep);
      }
      const phone = new Phone({ name: options.name, transport, directory, options, clock, users });
      // WATCH answers with the first presence at once: hand it on once the caller of
      // connect() has resumed and attached its listeners (a later turn of the event loop).
      const first = users;
      if (first) setImmediate(() => phone.#emit('users', first));
      return phone;
    } catch (error) {
      directory?.close();
      await transport.close();
      throw error;
    }
  }

  /** Where the call stands. */
  get state(): CallState {
    return this.#runner.state;
  }

  /** Whether the server is ours and offers the user list (WATCH); false on a classic server. */
  get listSupported(): boolean {
    return this.#users !== undefined;
  }

  /** The users online, as the directory last pushed them (sorted by name); undefined on a classic server. */
  get onlineUsers(): readonly DirectoryUser[] | undefined {
    return this.#users;
  }

  /** Whether the directory connection is up (calls can be placed). */
  get connected(): boolean {
    return this.#directoryUp && !this.#closing;
  }

  /**
   * Calls a user. Resolves when the call connects; rejects with a
   * {@link CallFailedError} (its `reason` says why) or a PhoneError 'busy' /
   * 'not-connected' when no call can be placed now.
   */
  call(name: string): Promise<void> {
    if (this.#closing) return Promise.reject(new PhoneError('not-connected', 'the phone is closed'));
    if (typeof name !== 'string' || name.length === 0) return Promise.reject(new PhoneError('invalid-option', 'the name to call must be a non-empty string'));
    if (this.#pending || this.#runner.state !== 'idle') return Promise.reject(new PhoneError('busy', `cannot call ${name}: the phone is ${this.#runner.state}`));
    return new Promise<void>((resolve, reject) => {
      this.#pending = { peer: name, resolve, reject };
      try {
        this.#runner.call(name);
      } catch (error) {
        this.#pending = undefined;
        reject(error);
      }
    });
  }

  /** Whether the microphone is muted; kept across calls. */
  get muted(): boolean {
    return this.#audio.muted;
  }

  /** Mutes or unmutes the microphone, in the call in progress and in later calls (silence is sent meanwhile, so the peer's silence timeout does not fire). */
  setMuted(muted: boolean): void {
    if (typeof muted !== 'boolean') throw new PhoneError('invalid-option', 'muted must be true or false');
    this.#audio.setMuted(muted);
  }

  /** The speaker volume in percent (100 = unchanged); kept across calls. */
  get volume(): number {
    return Math.round(this.#audio.gain * 100);
  }

  /** Sets the speaker volume, 0 (silent) to 200 percent, in the call in progress and in later calls. Throws PhoneError 'invalid-option' outside 0-200. */
  setVolume(percent: number): void {
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 200) {
      throw new PhoneError('invalid-option', `volume must be a number from 0 to 200 percent, got ${String(percent)}`);
    }
    this.#audio.setGain(percent / 100);
  }

  /** Accepts the ringing call; throws PhoneError 'invalid-state' when nothing rings. */
  accept(): void {
    this.#runner.accept();
  }

  /** Rejects the ringing call; throws PhoneError 'invalid-state' when nothing rings. */
  reject(): void {
    this.#runner.reject();
  }

  /** Ends the current call, or stops ringing out; no-op when idle. */
  hangup(): void {
    if (this.#closing) return;
    this.#runner.hangup();
  }

  /**
   * Asks the directory (LIST) for the users online, sorted by name; {@link onlineUsers}
   * has the last pushed list without asking. Rejects PhoneError 'list-unsupported' on a
   * classic server (nothing is sent), 'not-connected' without a directory.
   */
  async users(): Promise<DirectoryUser[]> {
    if (this.#users === undefined) throw new PhoneError('list-unsupported', 'the directory does not offer the user list (a classic server)');
    if (!this.connected) throw new PhoneError('not-connected', 'the directory connection is closed');
    try {
      return await this.#directory.list();
    } catch (error) {
      if (error instanceof DirectoryError && error.code === 'connection-closed') throw new PhoneError('not-connected', error.message, { cause: error });
      throw new PhoneError('directory-error', (error as Error).message, { cause: error });
    }
  }

  /** Hangs up (CLOSE is repeated for about a second), unregisters, closes socket and audio. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#runner.close();
    await this.#audio.close();
    if (this.#directoryUp) {
      try {
        await this.#directory.disconnect(this.name);
      } catch {
        this.#directory.close();
      }
    }
    await this.#transport.close();
    await Promise.all(this.#owned.map((a) => a.close()));
    this.#pending?.reject(new CallFailedError(this.#pending.peer, 'cancelled', 'the phone was closed'));
    this.#pending = undefined;
  }

  /** Adds a listener of a {@link PhoneEvents} event. */
  on<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this {
    this.#listeners.add(event, listener);
    return this;
  }

  /** Removes a listener. */
  off<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this {
    this.#listeners.remove(event, listener);
    return this;
  }

  /** Resolves at the next `event` (a convenience for scripts and tests). */
  once<E extends keyof PhoneEvents>(event: E): Promise<PhoneEvents[E]> {
    return new Promise((resolve) => {
      const listener = (...args: PhoneEvents[E]): void => {
        this.off(event, listener);
        resolve(args);
      };
      this.on(event, listener);
    });
  }

  /** Tells the listeners; one that throws neither keeps the others from hearing nor leaves a `call()` unsettled. */
  #emit<E extends keyof PhoneEvents>(event: E, ...args: PhoneEvents[E]): void {
    this.#listeners.emit(event, ...args);
  }

  #onNotice(notice: RunnerNotice): void {
    switch (notice.name) {
      case 'state':
        this.#emit('state', notice.peer === undefined ? { state: notice.state } : { state: notice.state, peer: notice.peer });
        return;
      case 'incoming':
        this.#emit('incoming', { caller: notice.caller, ip: notice.ip, port: notice.port });
        return;
      case 'calling':
        this.#emit('calling', { peer: notice.peer, ip: notice.ip, port: notice.port });
        return;
      case 'connected': {
        const pending = this.#pending;
        this.#pending = undefined;
        this.#emit('connected', { peer: notice.peer });
        pending?.resolve();
        return;
      }
      case 'ended': {
        const pending = this.#pending;
        this.#pending = undefined;
        const summary = this.#audio.takeSummary();
        this.#emit('ended', {
          peer: notice.peer,
          reason: notice.reason,
          direction: notice.direction,
          durationMs: summary?.durationMs ?? 0,
          ...(summary ? { stats: summary.stats } : {}),
          ...(notice.detail === undefined ? {} : { detail: notice.detail }),
        });
        pending?.reject(new CallFailedError(notice.peer, notice.reason, notice.detail));
        return;
      }
      case 'log':
        this.#emit('log', { level: notice.level, message: notice.message });
        return;
      case 'stats':
        this.#emit('stats', notice.stats);
        return;
    }
  }
}
