/**
 * How the terminal client's state follows its phone: the reducer of one
 * {@link PhoneEvent}, as the phone driver emits it.
 */
import type { AppState, CallView, LogLine } from './app-state-types.js';
import type { EndReason } from './phone-contract.js';
import type { PhoneEvent } from './phone-events.js';

/** Most lines kept in the log pane. */
export const LOG_LIMIT = 200;

/** Whether a call is being placed, ringing or in progress. */
export function isBusy(call: CallView): boolean {
  return call.state === 'dialing' || call.state === 'calling' || call.state === 'ringing' || call.state === 'in-call';
}

/** The log with one more line (the oldest dropped past {@link LOG_LIMIT}); a scrolled-back view stays on its lines. */
export function withLog(state: AppState, level: LogLine['level'], message: string, now: number): AppState {
  const next = [...state.log, { level, message, at: now }];
  const log = next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
  const logScroll = state.logScroll === 0 ? 0 : Math.min(log.length - 1, state.logScroll + 1);
  return { ...state, log, logScroll };
}

const END_LEVEL: Readonly<Record<EndReason, LogLine['level']>> = {
  hangup: 'info',
  'remote-hangup': 'info',
  rejected: 'warn',
  cancelled: 'warn',
  'ring-timeout': 'warn',
  'peer-silent': 'warn',
  'not-found': 'warn',
  'self-call': 'warn',
  'directory-lost': 'warn',
  error: 'error',
  'not-secure': 'warn',
};

/** The state after one phone event; `now` stamps log lines and the ringing-out timer. */
export function reducePhoneEvent(state: AppState, event: PhoneEvent, now: number): AppState {
  switch (event.event) {
    case 'registered':
      return withLog(
        {
          ...state,
          screen: 'main',
          exitOnConnectFailure: false,
          form: withoutFailure(state.form),
          session: { name: event.name, server: event.server, udpPort: event.udpPort, listSupported: event.listSupported },
          users: [],
          usersStatus: event.listSupported ? 'loading' : 'unsupported',
          selected: 0,
          filter: undefined,
          call: { state: 'idle' },
          prompt: undefined,
          directoryLost: undefined,
          failover: undefined,
          view: 'main',
          confirmQuit: false,
        },
        'info',
        `registered as ${event.name} at ${event.server}, UDP port ${event.udpPort}`,
        now,
      );
    case 'users': {
      const users = [...event.users];
      return { ...state, users, usersStatus: 'ready', selected: keepSelection(state, users) };
    }
    case 'state': {
      const call: CallView = { ...state.call, state: event.state, peer: event.peer ?? state.call.peer };
      if (event.state !== 'ringing') delete (call as { incoming?: unknown }).incoming;
      if (event.state === 'dialing' || event.state === 'calling') {
        if (call.since === undefined || !isBusy(state.call)) (call as { since?: number }).since = now;
      }
      if (event.state === 'idle') delete (call as { since?: number }).since;
      return { ...state, call };
    }
    case 'incoming':
      // The answer keys must reach the prompt: a half-typed "call who?", a filter or an overlay gives way.
      return withLog(
        {
          ...state,
          prompt: undefined,
          filter: state.filter && !state.filter.editing ? state.filter : undefined,
          view: 'main',
          call: { ...lastEndOf(state.call), state: 'ringing', peer: event.caller, incoming: { caller: event.caller, ip: event.ip, port: event.port } },
        },
        'info',
        `${event.caller} is calling from ${event.ip}:${event.port}`,
        now,
      );
    case 'calling':
      return withLog(
        { ...state, call: { ...lastEndOf(state.call), state: 'calling', peer: event.peer, since: isBusy(state.call) && state.call.since !== undefined ? state.call.since : now } },
        'info',
        `calling ${event.peer}...`,
        now,
      );
    case 'waiting':
      return withLog(state, 'info', `${event.peer} is not online yet: calling as soon as they are`, now);
    case 'connected': {
      const security = { protocol: event.protocol, secure: event.secure, sas: event.sas, verified: false };
      const sas = event.sas !== null ? `, SAS ${event.sas}: read it aloud with ${event.peer}, then press v` : '';
      const how = event.secure ? `encrypted${sas}` : 'not encrypted (classic call)';
      return withLog({ ...state, call: { ...lastEndOf(state.call), state: 'in-call', peer: event.peer, security } }, 'info', `in call with ${event.peer}: ${how}`, now);
    }
    case 'ended': {
      const stats = event.stats ?? state.call.stats;
      const next = withLog(
        { ...state, confirmQuit: false, call: { state: 'idle', lastEnd: { peer: event.peer, reason: event.reason, message: event.message }, ...(stats ? { stats } : {}) } },
        END_LEVEL[event.reason],
        event.message,
        now,
      );
      return state.directoryLost !== undefined ? backToForm(next, state.directoryLost) : next;
    }
    case 'stats': {
      const { event: _name, ...stats } = event;
      return { ...state, call: { ...state.call, stats } };
    }
    case 'audio':
      return { ...state, audio: { muted: event.muted, volume: event.volume } };
    case 'history':
      return { ...state, history: [...event.entries] };
    case 'log':
      return withLog(state, event.level, event.message, now);
    case 'disconnected': {
      const message = `lost the directory at ${event.server} (${event.reason}): registering on the next server`;
      return withLog({ ...state, failover: `lost the directory at ${event.server}: registering on the next server` }, 'warn', message, now);
    }
    case 'reconnected': {
      const session = state.session ? { ...state.session, server: event.server } : state.session;
      return withLog({ ...state, failover: undefined, ...(session ? { session } : {}) }, 'info', `registered again at ${event.server}`, now);
    }
    case 'error':
      if (event.code === 'directory-lost') {
        if (state.screen !== 'main') return state;
        const next = withLog({ ...state, directoryLost: event.message }, 'error', event.message, now);
        return isBusy(state.call) ? next : backToForm(next, event.message);
      }
      if (state.screen === 'connecting') return { ...state, screen: 'connect', exitOnConnectFailure: false, form: { ...state.form, failure: event.message } };
      return withLog(state, 'error', event.message, now);
  }
}

/** The index of the selected user in a new list: the same user when still there. */
function keepSelection(state: AppState, users: AppState['users']): number {
  const visible = (list: AppState['users']) => filterUsers(list, state.filter?.value ?? '');
  const current = visible(state.users)[state.selected]?.name;
  const next = visible(users);
  const kept = current === undefined ? -1 : next.findIndex((u) => u.name === current);
  return kept >= 0 ? kept : Math.min(state.selected, Math.max(0, next.length - 1));
}

/** The users whose name contains the filter text (case-insensitive). */
export function filterUsers(users: AppState['users'], filter: string): AppState['users'] {
  const needle = filter.trim().toLowerCase();
  return needle === '' ? users : users.filter((user) => user.name.toLowerCase().includes(needle));
}

function lastEndOf(call: CallView): Pick<CallView, 'lastEnd'> {
  return call.lastEnd ? { lastEnd: call.lastEnd } : {};
}

function backToForm(state: AppState, message: string): AppState {
  return {
    ...state,
    screen: 'connect',
    session: undefined,
    directoryLost: undefined,
    failover: undefined,
    prompt: undefined,
    filter: undefined,
    users: [],
    usersStatus: 'loading',
    call: { state: 'idle' },
    view: 'main',
    confirmQuit: false,
    form: { ...state.form, failure: `${message}. Press Enter to connect again.`, focus: 'name', cursor: [...state.form.values.name].length, errors: {} },
  };
}

function withoutFailure(form: AppState['form']): AppState['form'] {
  const { failure: _dropped, ...rest } = form;
  return rest;
}
