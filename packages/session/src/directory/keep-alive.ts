/** The directory keep-alive of a v2 client (PROTOCOL.md section 1): PING after a quiet spell, the connection given up when no PONG comes in time. */
import type { Clock, TimerHandle } from '@voip/clock';

/** What the keep-alive needs. */
export interface KeepAliveOptions {
  readonly clock: Clock;
  /** How long without sending anything before a PING goes out (`KEEPALIVE_IDLE_MS`). */
  readonly idleMs: number;
  /** Sends PING; resolves when PONG came, rejects when none came in time or the connection closed. */
  readonly ping: () => Promise<void>;
  /** No PONG came in time: the server is lost. Called once. */
  readonly lost: (error: unknown) => void;
}

/**
 * Sends PING whenever the client has sent nothing for `idleMs`. Every request the
 * client sends ({@link sent}, PING included) restarts the quiet spell. A PING that
 * fails (no PONG within the request timeout) reports the server lost; once
 * {@link stop}ped, nothing more is sent or reported.
 */
export class KeepAlive {
  readonly #options: KeepAliveOptions;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(options: KeepAliveOptions) {
    this.#options = options;
    this.sent();
  }

  /** Something went on the wire: the quiet spell starts again. */
  sent(): void {
    if (this.#stopped) return;
    const { clock, idleMs } = this.#options;
    clock.clearTimeout(this.#timer);
    this.#timer = clock.setTimeout(() => this.#fire(), idleMs);
  }

  /** Stops for good: no more PING, no report. */
  stop(): void {
    this.#stopped = true;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    this.#options.ping().catch((error: unknown) => {
      if (this.#stopped) return;
      this.stop();
      this.#options.lost(error);
    });
  }
}
