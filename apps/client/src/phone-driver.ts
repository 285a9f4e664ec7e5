/**
 * The phone driver: owns one phone from connect to close (call, accept, reject, hang
 * up, mute, volume, a lost directory, the call history) and reports everything as
 * {@link PhoneEvent}s, each outcome once. Both faces run on it: the TUI dispatches
 * its events to the reducer, the headless runner writes them as JSON lines.
 */
import { realClock } from '@voip/clock';
import { nameKey } from '@voip/protocol';
import { endText, refusalText } from './end-text.js';
import { historyRecorder } from './history-recorder.js';
import type { DirectoryUser, PhoneApi, PhoneEvents } from './phone-contract.js';
import { LOOKUP_RETRY_MS, MAX_VOLUME, type Attempt, type PhoneDriver, type PhoneDriverDeps, type Wait } from './phone-driver-types.js';

export { LOOKUP_RETRY_MS, MAX_VOLUME, type CallOptions, type PhoneDriver, type PhoneDriverDeps } from './phone-driver-types.js';

const BUSY_STATES = new Set(['dialing', 'calling', 'ringing', 'in-call']);

/** Creates a driver; it owns nothing until {@link PhoneDriver.connect}. */
export function createPhoneDriver(deps: PhoneDriverDeps): PhoneDriver {
  const { connect, callFailure, onEvent: emit } = deps;
  const clock = deps.clock ?? realClock;
  const wallTime = deps.wallTime ?? (() => new Date());
  let phone: PhoneApi | undefined;
  let connecting: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  let lost = false;
  let users: readonly DirectoryUser[] = [];
  let usersSeen = false;
  let attempt: Attempt | undefined;
  let wait: Wait | undefined;
  const history = historyRecorder(deps.history, emit);

  const spell = (name: string): string => users.find((u) => nameKey(u.name) === nameKey(name))?.name ?? name;
  const online = (name: string): boolean => users.some((u) => nameKey(u.name) === nameKey(name));
  const warn = (message: string): void => emit({ event: 'log', level: 'warn', message });
  const guarded = (what: string, action: (p: PhoneApi) => void): void => {
    if (!phone || closing) return warn(`${what}: not connected`);
    try {
      action(phone);
    } catch (error) {
      warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  /** Reports the one `ended` of an attempt and keeps it in the history. */
  const ended = (e: PhoneEvents['ended'][0], waitedMs?: number): void => {
    const peer = spell(e.peer);
    const current = attempt && nameKey(attempt.peer) === nameKey(e.peer) ? attempt : undefined;
    const startedAt = current?.startedAt ?? wallTime();
    attempt = undefined;
    const message = endText({
      peer,
      reason: e.reason,
      direction: e.direction,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      ...(waitedMs !== undefined ? { waitedMs } : {}),
    });
    emit({
      event: 'ended',
      peer,
      reason: e.reason,
      direction: e.direction,
      message,
      durationMs: Math.round(e.durationMs),
      ...(e.stats !== undefined ? { stats: e.stats } : {}),
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
    });
    history.record(e, peer, startedAt, current?.secure);
  };

  /** The wait is over: the call it placed connected, ended or was refused. */
  const finishWait = (w: Wait, placed: boolean): void => {
    if (w.timer !== undefined) clock.clearTimeout(w.timer);
    if (wait === w) wait = undefined;
    w.settle(placed);
  };

  /** The wait ends without a call of its own: reported as that attempt's `ended`. */
  const endWait = (w: Wait, reason: 'not-found' | 'cancelled' | 'directory-lost'): void => {
    finishWait(w, true);
    ended({ peer: w.name, reason, direction: 'outgoing', durationMs: 0 }, reason === 'not-found' ? w.windowMs : undefined);
  };

  const place = (p: PhoneApi, name: string): Promise<boolean> => {
    attempt = { peer: name, direction: 'outgoing', startedAt: attempt?.peer === name ? attempt.startedAt : wallTime() };
    return p.call(name).then(
      () => true,
      (error: unknown) => {
        const failure = callFailure(error);
        // An attempt that ended was reported by the phone's `ended` event.
        if (failure.kind === 'ended') return true;
        if (attempt?.peer === name) attempt = undefined;
        warn(refusalText(spell(name), failure));
        return false;
      },
    );
  };

  const placeWaited = (p: PhoneApi, w: Wait): void => {
    if (w.timer !== undefined && !w.classic) clock.clearTimeout(w.timer);
    w.inFlight = true;
    void place(p, w.name).then((placed) => {
      w.inFlight = false;
      if (!placed) finishWait(w, false);
    });
  };

  const waitFor = (name: string): Wait | undefined => (wait && nameKey(wait.name) === nameKey(name) ? wait : undefined);

  const listeners: { [E in keyof PhoneEvents]: (...args: PhoneEvents[E]) => void } = {
    state: (e) => emit({ event: 'state', state: e.state, ...(e.peer !== undefined ? { peer: spell(e.peer) } : {}) }),
    incoming: (e) => {
      const caller = spell(e.caller);
      attempt = { peer: caller, direction: 'incoming', startedAt: wallTime() };
      emit({ event: 'incoming', caller, ip: e.ip, port: e.port });
    },
    calling: (e) => emit({ event: 'calling', peer: spell(e.peer) }),
    connected: (e) => {
      const w = waitFor(e.peer);
      if (w) finishWait(w, true);
      const { protocol, secure, sas } = e;
      if (attempt && nameKey(attempt.peer) === nameKey(e.peer)) attempt.secure = secure;
      emit({ event: 'connected', peer: spell(e.peer), protocol, secure, sas: protocol === 'v2' ? sas : null });
    },
    ended: (e) => {
      const w = waitFor(e.peer);
      if (w?.classic && e.reason === 'not-found') {
        // Not online yet: look again, silently, until the window ends.
        if (clock.now() - w.since + LOOKUP_RETRY_MS > w.windowMs) return endWait(w, 'not-found');
        if (!w.announced) {
          w.announced = true;
          emit({ event: 'waiting', peer: w.name, timeoutMs: w.windowMs });
        }
        w.timer = clock.setTimeout(() => {
          w.timer = undefined;
          if (wait === w && phone && !closing) placeWaited(phone, w);
        }, LOOKUP_RETRY_MS);
        return;
      }
      if (w) finishWait(w, true);
      ended(e);
    },
    users: (list) => {
      // The first push is also the phone's `onlineUsers`, reported at registration.
      if (list === users) return;
      users = list;
      usersSeen = true;
      emit({ event: 'users', users: list });
      const w = wait;
      if (!w || w.classic || w.inFlight || !phone) return;
      if (online(w.name)) placeWaited(phone, w);
      else if (!w.announced) {
        w.announced = true;
        emit({ event: 'waiting', peer: w.name, timeoutMs: w.windowMs });
      }
    },
    stats: (stats) => emit({ event: 'stats', ...stats }),
    log: (e) => emit({ event: 'log', level: e.level, message: e.message }),
    disconnected: (e) => {
      if (closing || lost) return;
      if (e.reconnecting) return emit({ event: 'disconnected', server: e.server, reason: e.reason });
      lost = true;
      emit({ event: 'error', code: 'directory-lost', message: `lost the directory at ${e.server}: ${e.reason}` });
      if (wait && !wait.inFlight) endWait(wait, 'directory-lost');
    },
    reconnected: (e) => {
      if (closing || lost) return;
      emit({ event: 'reconnected', server: e.server });
    },
  };
  const attach = (p: PhoneApi): void => {
    for (const [event, listener] of Object.entries(listeners)) p.on(event as keyof PhoneEvents, listener as never);
  };
  const detach = (p: PhoneApi): void => {
    for (const [event, listener] of Object.entries(listeners)) p.off(event as keyof PhoneEvents, listener as never);
  };

  const audio = (p: PhoneApi): void => emit({ event: 'audio', muted: p.muted, volume: p.volume });

  const driver: PhoneDriver = {
    async connect(request) {
      if (phone || closing) throw new TypeError('a phone driver connects once');
      const attemptConnect = connect(request);
      connecting = attemptConnect.catch(() => undefined);
      const result = await attemptConnect;
      if (!result.ok) {
        if (!closing) emit({ event: 'error', code: result.code, message: result.detail });
        return false;
      }
      if (closing) {
        await result.value.close();
        return false;
      }
      const p = result.value;
      phone = p;
      attach(p);
      emit({ event: 'registered', name: p.name, server: p.server, udpPort: p.udpPort, listSupported: p.listSupported });
      if (p.onlineUsers !== undefined) listeners.users(p.onlineUsers);
      if (!p.listSupported) emit({ event: 'log', level: 'info', message: 'this directory does not list users (classic server): call by name' });
      await history.load();
      return true;
    },

    call(name, options = {}) {
      const p = phone;
      if (!p || closing) {
        warn(`cannot call ${name}: not connected`);
        return Promise.resolve(false);
      }
      if (wait) {
        warn(refusalText(name, { kind: 'refused', code: 'busy', message: `waiting for ${wait.name}` }));
        return Promise.resolve(false);
      }
      const windowMs = options.waitOnlineMs;
      const classic = !p.listSupported;
      if (windowMs === undefined || (!classic && usersSeen && online(name))) return place(p, name);
      return new Promise<boolean>((settle) => {
        const w: Wait = { name, since: clock.now(), classic, windowMs, announced: false, inFlight: false, settle };
        wait = w;
        attempt = { peer: name, direction: 'outgoing', startedAt: wallTime() };
        if (classic) return placeWaited(p, w);
        w.timer = clock.setTimeout(() => {
          w.timer = undefined;
          if (wait === w) endWait(w, 'not-found');
        }, windowMs);
        if (usersSeen) {
          w.announced = true;
          emit({ event: 'waiting', peer: name, timeoutMs: windowMs });
        }
      });
    },

    accept: () => guarded('accept', (p) => p.accept()),
    reject: () => guarded('reject', (p) => p.reject()),
    hangup() {
      if (wait && !wait.inFlight) return endWait(wait, 'cancelled');
      guarded('hang up', (p) => p.hangup());
    },
    setMuted: (muted) =>
      guarded(muted ? 'mute' : 'unmute', (p) => {
        p.setMuted(muted);
        audio(p);
      }),
    toggleMuted() {
      if (phone) driver.setMuted(!phone.muted);
      else warn('mute: not connected');
    },
    setVolume(percent) {
      if (!Number.isInteger(percent) || percent < 0 || percent > MAX_VOLUME) return warn(`volume: ${percent} is not a whole percent from 0 to ${MAX_VOLUME}`);
      guarded('volume', (p) => {
        p.setVolume(percent);
        audio(p);
      });
    },
    changeVolume(delta) {
      if (!phone) return warn('volume: not connected');
      driver.setVolume(Math.min(MAX_VOLUME, Math.max(0, Math.round(phone.volume + delta))));
    },
    get busy() {
      return wait !== undefined || (phone !== undefined && BUSY_STATES.has(phone.state));
    },

    close() {
      closing ??= (async () => {
        await connecting;
        const p = phone;
        if (wait && !wait.inFlight) endWait(wait, 'cancelled');
        if (!p) return;
        try {
          p.hangup();
        } catch {
          // Nothing to hang up: closing unregisters anyway.
        }
        try {
          await p.close();
        } finally {
          detach(p);
          if (wait) finishWait(wait, true);
          await history.saved();
        }
      })();
      return closing;
    },
  };
  return driver;
}
