import { EventEmitter } from 'node:events';
import { splitServers } from '../../src/validate.js';
import type {
  CallDirection,
  CallFailure,
  CallState,
  CallStats,
  ConnectFailure,
  ConnectPhone,
  ConnectRequest,
  DirectoryUser,
  EndReason,
  PhoneApi,
  PhoneEvents,
} from '../../src/phone-contract.js';

/** The error a fake `call()` rejects with, like the session's CallFailedError. */
export class FakeCallFailedError extends Error {
  override readonly name = 'CallFailedError';
  constructor(
    readonly reason: EndReason,
    readonly detail?: string,
  ) {
    super(`call failed: ${reason}`);
  }
}

/** Maps a fake rejection to a failure, as the adapter does for the real one. */
export function fakeCallFailure(error: unknown): CallFailure {
  if (error instanceof FakeCallFailedError) return { kind: 'ended', reason: error.reason, ...(error.detail !== undefined ? { detail: error.detail } : {}) };
  const code = (error as { code?: unknown }).code;
  return { kind: 'refused', code: typeof code === 'string' ? code : 'busy', message: error instanceof Error ? error.message : String(error) };
}

/** A `call()` that fails as the real phone's does: its `ended` event, then the rejection. */
export function failsWith(phone: FakePhone, reason: EndReason, detail?: string): (name: string) => Promise<void> {
  return (name) => {
    phone.emit('ended', endedEvent(name, reason, detail !== undefined ? { detail } : {}));
    return Promise.reject(new FakeCallFailedError(reason, detail));
  };
}

/** A phone that records what the client asks and lets the test emit events. */
export class FakePhone implements PhoneApi {
  state: CallState = 'idle';
  listSupported = true;
  server = '127.0.0.1:10000';
  closed = false;
  readonly calls: string[] = [];
  readonly actions: string[] = [];
  /** The users the directory pushed at connect (WATCH presence); set `onlineUsers` or `userList`. */
  #users: DirectoryUser[];
  muted = false;
  volume = 100;
  /** What the next `call()` does; default stays pending. */
  onCall: (name: string) => Promise<void> = () => new Promise(() => undefined);
  private readonly emitter = new EventEmitter();

  constructor(
    readonly name = 'alice',
    readonly udpPort = 5001,
  ) {
    this.#users = [{ name, ip: '127.0.0.1', port: udpPort }];
  }

  call(name: string): Promise<void> {
    this.calls.push(name);
    return this.onCall(name);
  }
  /** Set to make accept()/reject() throw like a phone with nothing ringing. */
  nothingRings = false;
  accept(): void {
    if (this.nothingRings) throw Object.assign(new Error('nothing rings'), { code: 'invalid-state' });
    this.actions.push('accept');
  }
  reject(): void {
    this.actions.push('reject');
  }
  hangup(): void {
    this.actions.push('hangup');
  }
  /** The users online at connect; undefined on a classic server, like the real phone's. */
  get onlineUsers(): DirectoryUser[] | undefined {
    return this.listSupported ? this.#users : undefined;
  }
  set onlineUsers(users: DirectoryUser[] | undefined) {
    this.#users = users ?? [];
  }
  /** Same as setting {@link onlineUsers}. */
  set userList(users: DirectoryUser[]) {
    this.#users = users;
  }
  setMuted(muted: boolean): void {
    this.actions.push(muted ? 'mute' : 'unmute');
    this.muted = muted;
  }
  setVolume(percent: number): void {
    this.actions.push(`volume ${percent}`);
    this.volume = percent;
  }
  close(): Promise<void> {
    this.closed = true;
    this.actions.push('close');
    return Promise.resolve();
  }
  on<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this {
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }
  off<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this {
    this.emitter.off(event, listener as (...args: unknown[]) => void);
    return this;
  }
  emit<E extends keyof PhoneEvents>(event: E, ...args: PhoneEvents[E]): void {
    if (event === 'state') this.state = (args[0] as PhoneEvents['state'][0]).state;
    this.emitter.emit(event, ...args);
  }
  listeners(): number {
    return this.emitter.eventNames().reduce((n, e) => n + this.emitter.listenerCount(e), 0);
  }
}

/** An `ended` payload as the phone emits it (outgoing, never connected, unless told). */
export function endedEvent(
  peer: string,
  reason: EndReason,
  more: { direction?: CallDirection; durationMs?: number; stats?: CallStats; detail?: string } = {},
): PhoneEvents['ended'][0] {
  return {
    peer,
    reason,
    direction: more.direction ?? 'outgoing',
    durationMs: more.durationMs ?? 0,
    ...(more.stats ? { stats: more.stats } : {}),
    ...(more.detail !== undefined ? { detail: more.detail } : {}),
  };
}

/**
 * A `connected` payload as the phone emits it: a v2 call, encrypted, with `sas`,
 * or (`'classic'`) a classic one.
 */
export function connectedEvent(peer: string, call: { readonly sas: string } | 'classic'): PhoneEvents['connected'][0] {
  return call === 'classic' ? { peer, protocol: 'classic', secure: false, sas: null } : { peer, protocol: 'v2', secure: true, sas: call.sas };
}

/** Call figures with the fields v2 adds, as the v2 session reports them (`more` overrides). */
export function v2Stats(more: Partial<CallStats> = {}): CallStats {
  return {
    packetsSent: 250,
    packetsReceived: 246,
    packetsLost: 4,
    packetsDropped: 3,
    inputLevelDbfs: -12.346,
    outputLevelDbfs: -20,
    durationMs: 5000.4,
    packetsRejected: 2,
    packetsReplayed: 1,
    packetsLate: 1,
    packetsConcealed: 4,
    jitterMs: 3.14159,
    playoutDelayMs: 40.04,
    ...more,
  };
}

/** A connect function handing out a given phone (using the first server asked for) or failure, recording requests. */
export function fakeConnect(outcome: FakePhone | ConnectFailure): ConnectPhone & { requests: ConnectRequest[] } {
  const requests: ConnectRequest[] = [];
  const fn = async (request: ConnectRequest) => {
    requests.push(request);
    if (!(outcome instanceof FakePhone)) return outcome;
    // Like the real phone: in use is the first server of the list that answers.
    outcome.server = splitServers(request.server)[0]!;
    return { ok: true as const, value: outcome };
  };
  return Object.assign(fn, { requests });
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A writable that keeps what was written. */
export class Collect {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  /** The JSON lines written, parsed. */
  events(): Array<Record<string, unknown>> {
    return this.text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}
