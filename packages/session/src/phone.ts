/** The `Phone` facade: one registered name, waiting for calls on a UDP port and calling others by name. */
import type { DirectoryUser } from '@voip/protocol';
import { realClock, type Clock } from '@voip/clock';
import type { AudioSink, AudioSource } from '@voip/media';
import { CallAudio } from './call-audio.js';
import { defaultMedia, defaultRing } from './default-media.js';
import { CallRunner, type RunnerNotice } from './call-runner.js';
import { DirectoryError } from './directory/directory-client.js';
import type { PhoneDirectory } from './phone-directory.js';
import { CallFailedError, PhoneError } from './errors.js';
import type { CallState, PhoneApi, PhoneEvents } from './phone-types.js';
import { TypedListeners } from './directory/typed-listeners.js';
import { checkPhoneOptions, type PhoneConnectOptions } from './phone-options.js';
import { openPhoneLinks } from './phone-links.js';
import { connectedEvent, endedEvent } from './phone-events.js';
import type { UdpTransport } from './transport/udp-transport.js';

export { parseServer, type PhoneConnectOptions } from './phone-options.js';

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
  readonly #directory: PhoneDirectory;
  readonly #runner: CallRunner;
  readonly #audio: CallAudio;
  readonly #listeners = new TypedListeners<PhoneEvents>();
  readonly #owned: { close(): Promise<void> }[];
  /** The users online as WATCH last pushed them; undefined on a classic server. */
  #users: readonly DirectoryUser[] | undefined;
  #pending: { peer: string; resolve: () => void; reject: (error: Error) => void } | undefined;
  #closing: Promise<void> | undefined;

  private constructor(init: {
    name: string;
    transport: UdpTransport;
    directory: PhoneDirectory;
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
      directory: options.lookup ? { lookup: options.lookup } : init.directory,
      clock,
      media: this.#audio,
      secure: options.secure ?? 'prefer',
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
    this.#directory.on('lost', (info) => {
      if (this.#closing) return;
      this.#runner.directoryLost();
      this.#emit('disconnected', info);
    });
    this.#directory.on('restored', ({ server, users }) => {
      if (this.#closing) return;
      this.#runner.directoryRestored();
      this.#users = users;
      this.#emit('reconnected', { server });
      if (users) this.#emit('users', users);
    });
  }

  /**
   * Checks the options, binds the UDP port, connects to the directory and registers
   * the name; on our server (its REG answer carries `v`) also watches presence.
   * Rejects with a {@link PhoneError}: 'invalid-option', 'name-invalid',
   * 'udp-port-in-use', 'udp-bind-failed', 'server-unreachable', 'name-refused' or
   * 'directory-error'. Nothing stays open after a failure.
   */
  static async connect(options: PhoneConnectOptions): Promise<Phone> {
    const servers = checkPhoneOptions(options);
    const clock = options.clock ?? realClock;
    const { transport, directory, users } = await openPhoneLinks(options, servers, clock);
    const phone = new Phone({ name: options.name, transport, directory, options, clock, users });
    // WATCH answers with the first presence at once: hand it on once the caller of
    // connect() has resumed and attached its listeners (a later turn of the event loop).
    if (users) setImmediate(() => phone.#emit('users', users));
    return phone;
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
    return this.#directory.up && !this.#closing;
  }

  /** `host:port` of the directory server in use (while failing over, the one lost last). */
  get server(): string {
    return this.#directory.server;
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
    await this.#directory.close();
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
        this.#emit('connected', connectedEvent(notice));
        pending?.resolve();
        return;
      }
      case 'ended': {
        const pending = this.#pending;
        this.#pending = undefined;
        this.#emit('ended', endedEvent(notice, this.#audio.takeSummary()));
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
