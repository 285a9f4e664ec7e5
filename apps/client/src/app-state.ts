/**
 * State of the terminal client as a pure reducer: every change is an {@link Action},
 * screens only render the {@link AppState} they are given.
 */
import { DEFAULT_DIRECTORY_PORT } from '@voip/protocol';
import type { CallState, CallStats, DirectoryUser, EndReason } from './phone-contract.js';
import { checkHost, checkName, checkPort } from './validate.js';

/** The fields of the connect form. */
export type FormField = 'host' | 'port' | 'name';

/** Order of the form fields, top to bottom. */
export const FORM_FIELDS: readonly FormField[] = ['host', 'port', 'name'];

/** The connect form: what is typed, which field has focus, the reasons shown inline. */
export interface FormState {
  readonly values: Readonly<Record<FormField, string>>;
  readonly focus: FormField;
  readonly errors: Readonly<Partial<Record<FormField, string>>>;
  /** Why the last attempt failed, or why we came back to the form. */
  readonly failure?: string;
}

/** A line of the log pane. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
}

/** Whether the user list can be shown. */
export type UsersStatus = 'loading' | 'ready' | 'unsupported';

/** The call as the status line shows it. */
export interface CallView {
  readonly state: CallState;
  readonly peer?: string;
  /** Someone is calling us and waits for accept/reject. */
  readonly incoming?: { readonly caller: string; readonly ip: string; readonly port: number };
  readonly stats?: CallStats;
  /** How the last call ended. */
  readonly lastEnd?: { readonly peer: string; readonly reason: EndReason; readonly detail?: string };
}

/** Who we are once registered. */
export interface SessionInfo {
  readonly name: string;
  /** `host:port` of the directory. */
  readonly server: string;
  readonly udpPort: number;
  readonly listSupported: boolean;
}

/** The whole state of the terminal client. */
export interface AppState {
  readonly screen: 'connect' | 'connecting' | 'main';
  readonly form: FormState;
  /**
   * True while connecting with names given on the command line: a failure then
   * exits (code 2) instead of showing the form.
   */
  readonly exitOnConnectFailure: boolean;
  readonly session?: SessionInfo;
  readonly users: readonly DirectoryUser[];
  readonly usersStatus: UsersStatus;
  /** Index of the highlighted user. */
  readonly selected: number;
  readonly call: CallView;
  /** The "call who?" input, when open. */
  readonly prompt?: { readonly value: string; readonly error?: string };
  /** Set when the directory connection dropped; we go back to the form once the call ends. */
  readonly directoryLost?: string;
  readonly log: readonly LogLine[];
}

/** Most lines kept in the log pane. */
export const LOG_LIMIT = 200;

/** Everything that can happen to the client. */
export type Action =
  | { readonly type: 'form-edit'; readonly field: FormField; readonly value: string }
  | { readonly type: 'form-focus'; readonly delta: 1 | -1 }
  | { readonly type: 'form-submit' }
  | { readonly type: 'connect-failed'; readonly detail: string }
  | { readonly type: 'registered'; readonly session: SessionInfo }
  | { readonly type: 'users'; readonly users: readonly DirectoryUser[] }
  | { readonly type: 'users-unsupported' }
  | { readonly type: 'select'; readonly delta: number }
  | { readonly type: 'phone-state'; readonly state: CallState; readonly peer?: string }
  | { readonly type: 'incoming'; readonly caller: string; readonly ip: string; readonly port: number }
  | { readonly type: 'calling'; readonly peer: string }
  | { readonly type: 'call-connected'; readonly peer: string }
  | { readonly type: 'call-ended'; readonly peer: string; readonly reason: EndReason; readonly detail?: string }
  | { readonly type: 'stats'; readonly stats: CallStats }
  | { readonly type: 'log'; readonly level: LogLine['level']; readonly message: string }
  | { readonly type: 'prompt-open' }
  | { readonly type: 'prompt-edit'; readonly value: string }
  | { readonly type: 'prompt-cancel' }
  | { readonly type: 'prompt-submit' }
  | { readonly type: 'directory-lost'; readonly reason: string };

/** What the command line pre-fills. */
export interface InitialInput {
  /** `host:port` from --server. */
  readonly server?: string;
  readonly name?: string;
}

/** The first state: the form, or straight to connecting when server and name are given. */
export function initialState(input: InitialInput = {}): AppState {
  let host = '';
  let port = String(DEFAULT_DIRECTORY_PORT);
  if (input.server !== undefined) {
    const colon = input.server.lastIndexOf(':');
    host = colon < 0 ? input.server : input.server.slice(0, colon);
    if (colon >= 0) port = input.server.slice(colon + 1);
  }
  const direct = input.server !== undefined && input.name !== undefined;
  return {
    screen: direct ? 'connecting' : 'connect',
    form: { values: { host, port, name: input.name ?? '' }, focus: input.server === undefined ? 'host' : 'name', errors: {} },
    exitOnConnectFailure: direct,
    users: [],
    usersStatus: 'loading',
    selected: 0,
    call: { state: 'idle' },
    log: [],
  };
}

/** The UDP port a valid form asks to receive calls on (the command line's until the form has its own field). */
export function formUdpPort(_form: FormState, fallback: number): number {
  return fallback;
}

/** The directory address of a valid form, as `host:port`. */
export function formServer(form: FormState): string {
  return `${form.values.host.trim()}:${Number(form.values.port.trim())}`;
}

/** Checks every field; returns the reasons to show next to them (empty when valid). */
export function validateForm(values: FormState['values']): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  const host = checkHost(values.host);
  if (!host.ok) errors.host = host.detail;
  const port = checkPort(values.port);
  if (!port.ok) errors.port = port.detail;
  const name = checkName(values.name);
  if (!name.ok) errors.name = name.detail;
  return errors;
}

/** Whether a call is being placed, ringing or in progress. */
export function isBusy(call: CallView): boolean {
  return call.state === 'dialing' || call.state === 'calling' || call.state === 'ringing' || call.state === 'in-call';
}

/** The pure reducer of the client. */
export function reduce(state: AppState, action: Action): AppState {
  switch (action.type) {
    case 'form-edit': {
      if (state.screen !== 'connect') return state;
      const values = { ...state.form.values, [action.field]: action.value };
      const { [action.field]: _cleared, ...errors } = state.form.errors;
      return { ...state, form: { ...state.form, values, errors } };
    }
    case 'form-focus': {
      if (state.screen !== 'connect') return state;
      const index = FORM_FIELDS.indexOf(state.form.focus);
      const next = FORM_FIELDS[(index + action.delta + FORM_FIELDS.length) % FORM_FIELDS.length] as FormField;
      return { ...state, form: { ...state.form, focus: next } };
    }
    case 'form-submit': {
      if (state.screen !== 'connect') return state;
      const errors = validateForm(state.form.values);
      const first = FORM_FIELDS.find((field) => errors[field] !== undefined);
      if (first) return { ...state, form: { ...state.form, errors, focus: first } };
      return withoutFailure({ ...state, screen: 'connecting', form: { ...state.form, errors: {} } });
    }
    case 'connect-failed':
      return { ...state, screen: 'connect', exitOnConnectFailure: false, form: { ...state.form, failure: action.detail } };
    case 'registered':
      return withoutFailure({
        ...state,
        screen: 'main',
        exitOnConnectFailure: false,
        session: action.session,
        users: [],
        usersStatus: action.session.listSupported ? 'loading' : 'unsupported',
        selected: 0,
        call: { state: 'idle' },
        prompt: undefined,
        directoryLost: undefined,
        log: appendLog(state.log, { level: 'info', message: `registered as ${action.session.name} at ${action.session.server}, UDP port ${action.session.udpPort}` }),
      });
    case 'users': {
      const users = [...action.users];
      const current = state.users[state.selected]?.name;
      const kept = current === undefined ? -1 : users.findIndex((u) => u.name === current);
      const selected = kept >= 0 ? kept : Math.min(state.selected, Math.max(0, users.length - 1));
      return { ...state, users, usersStatus: 'ready', selected };
    }
    case 'users-unsupported':
      return { ...state, users: [], usersStatus: 'unsupported', selected: 0 };
    case 'select': {
      if (state.users.length === 0) return state;
      const selected = Math.min(state.users.length - 1, Math.max(0, state.selected + action.delta));
      return { ...state, selected };
    }
    case 'phone-state': {
      const call: CallView = { ...state.call, state: action.state, peer: action.peer ?? state.call.peer };
      if (action.state !== 'ringing') delete (call as { incoming?: unknown }).incoming;
      return { ...state, call };
    }
    case 'incoming':
      // The answer keys must reach the prompt: a half-typed "call who?" gives way.
      return {
        ...state,
        prompt: undefined,
        call: { ...state.call, state: 'ringing', peer: action.caller, incoming: { caller: action.caller, ip: action.ip, port: action.port }, stats: undefined },
        log: appendLog(state.log, { level: 'info', message: `${action.caller} is calling from ${action.ip}:${action.port}` }),
      };
    case 'calling':
      return {
        ...state,
        call: { state: 'calling', peer: action.peer, ...(state.call.lastEnd ? { lastEnd: state.call.lastEnd } : {}) },
        log: appendLog(state.log, { level: 'info', message: `calling ${action.peer}...` }),
      };
    case 'call-connected':
      return {
        ...state,
        call: { state: 'in-call', peer: action.peer, ...(state.call.lastEnd ? { lastEnd: state.call.lastEnd } : {}) },
        log: appendLog(state.log, { level: 'info', message: `in call with ${action.peer}` }),
      };
    case 'call-ended': {
      const lastEnd = { peer: action.peer, reason: action.reason, ...(action.detail !== undefined ? { detail: action.detail } : {}) };
      const level: LogLine['level'] = action.reason === 'error' ? 'error' : action.reason === 'hangup' || action.reason === 'remote-hangup' ? 'info' : 'warn';
      const next: AppState = {
        ...state,
        call: { state: 'idle', lastEnd, ...(state.call.stats ? { stats: state.call.stats } : {}) },
        log: appendLog(state.log, { level, message: describeEnd(lastEnd) }),
      };
      return state.directoryLost !== undefined ? backToForm(next, state.directoryLost) : next;
    }
    case 'stats':
      return { ...state, call: { ...state.call, stats: action.stats } };
    case 'log':
      return { ...state, log: appendLog(state.log, { level: action.level, message: action.message }) };
    case 'prompt-open':
      if (state.screen !== 'main') return state;
      return { ...state, prompt: { value: '' } };
    case 'prompt-edit':
      if (!state.prompt) return state;
      return { ...state, prompt: { value: action.value } };
    case 'prompt-cancel':
      return { ...state, prompt: undefined };
    case 'prompt-submit': {
      if (!state.prompt) return state;
      const name = checkName(state.prompt.value.trim(), 'name to call');
      if (!name.ok) return { ...state, prompt: { value: state.prompt.value, error: name.detail } };
      return { ...state, prompt: undefined };
    }
    case 'directory-lost': {
      if (state.screen !== 'main') return state;
      const message = `lost the directory at ${state.session?.server ?? '?'}: ${action.reason}`;
      const next: AppState = { ...state, directoryLost: message, log: appendLog(state.log, { level: 'error', message }) };
      return isBusy(state.call) ? next : backToForm(next, message);
    }
  }
}

/** A sentence for the end of a call. */
export function describeEnd(end: { readonly peer: string; readonly reason: EndReason; readonly detail?: string }): string {
  const text: Record<EndReason, string> = {
    hangup: `call with ${end.peer} ended`,
    'remote-hangup': `${end.peer} hung up`,
    rejected: `${end.peer} rejected the call (or is busy)`,
    cancelled: `call with ${end.peer} cancelled`,
    'ring-timeout': `${end.peer} did not answer`,
    'peer-silent': `no audio from ${end.peer}: call ended`,
    'not-found': `${end.peer} is not online`,
    'self-call': 'you cannot call yourself',
    'directory-lost': `call to ${end.peer} not placed: the directory is lost`,
    error: `call with ${end.peer} failed`,
  };
  return end.detail ? `${text[end.reason]}: ${end.detail}` : text[end.reason];
}

function backToForm(state: AppState, message: string): AppState {
  return {
    ...state,
    screen: 'connect',
    session: undefined,
    directoryLost: undefined,
    prompt: undefined,
    users: [],
    usersStatus: 'loading',
    call: { state: 'idle' },
    form: { ...state.form, failure: `${message}. Press Enter to connect again.`, focus: 'name', errors: {} },
  };
}

function withoutFailure(state: AppState): AppState {
  const { failure: _dropped, ...form } = state.form;
  return { ...state, form };
}

function appendLog(log: readonly LogLine[], line: LogLine): readonly LogLine[] {
  const next = [...log, line];
  return next.length > LOG_LIMIT ? next.slice(next.length - LOG_LIMIT) : next;
}
