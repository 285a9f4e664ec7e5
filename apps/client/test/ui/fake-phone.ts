import { EventEmitter } from 'node:events';
import type { CallFailure, CallState, ConnectFailure, ConnectPhone, ConnectRequest, DirectoryUser, EndReason, PhoneApi, PhoneEvents } from '../../src/phone-contract.js';

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
  return { kind: 'refused', code: 'busy', message: error instanceof Error ? error.message : String(error) };
}

/** A phone that records what the client asks and lets the test emit events. */
export class FakePhone implements PhoneApi {
  state: CallState = 'idle';
  listSupported = true;
  closed = false;
  readonly calls: string[] = [];
  readonly actions: string[] = [];
  userList: DirectoryUser[] = [];
  /** What the next `call()` does; default stays pending. */
  onCall: (name: string) => Promise<void> = () => new Promise(() => undefined);
  private readonly emitter = new EventEmitter();

  constructor(
    readonly name = 'alice',
    readonly udpPort = 5001,
  ) {}

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
  users(): Promise<DirectoryUser[]> {
    if (!this.listSupported) return Promise.reject(Object.assign(new Error('list unsupported'), { code: 'list-unsupported' }));
    return Promise.resolve([...this.userList]);
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

/** A connect function handing out a given phone or failure, recording requests. */
export function fakeConnect(outcome: FakePhone | ConnectFailure): ConnectPhone & { requests: ConnectRequest[] } {
  const requests: ConnectRequest[] = [];
  const fn = async (request: ConnectRequest) => {
    requests.push(request);
    return outcome instanceof FakePhone ? { ok: true as const, value: outcome } : outcome;
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
