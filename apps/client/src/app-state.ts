/**
 * State of the terminal client as a pure reducer: every change is an {@link Action}
 * (the phone's events arrive as `{ type: 'phone', event }`), screens only render
 * the {@link AppState} they are given.
 */
import { filterUsers, isBusy, reducePhoneEvent, withLog } from './app-state-phone.js';
import { initialForm, reduceForm } from './app-state-form.js';
import type { Action, AppState, InitialInput } from './app-state-types.js';
import type { DirectoryUser } from './phone-contract.js';
import { checkName } from './validate.js';

export type * from './app-state-types.js';
export { FORM_FIELDS, formServer, formServers, formUdpPort, submitsFrom, validateForm } from './app-state-form.js';
export { LOG_LIMIT, filterUsers, isBusy } from './app-state-phone.js';

/** The first state: the form, or straight to connecting when server and name are given. */
export function initialState(input: InitialInput = {}): AppState {
  const direct = input.server !== undefined && input.name !== undefined;
  return {
    screen: direct ? 'connecting' : 'connect',
    form: initialForm(input),
    exitOnConnectFailure: direct,
    users: [],
    usersStatus: 'loading',
    selected: 0,
    call: { state: 'idle' },
    audio: { muted: false, volume: 100 },
    log: [],
    logScroll: 0,
    history: [],
    view: 'main',
    overlayScroll: 0,
    confirmQuit: false,
  };
}

/** The users the list shows: all of them, or those the filter lets through. */
export function visibleUsers(state: AppState): readonly DirectoryUser[] {
  return filterUsers(state.users, state.filter?.value ?? '');
}

/** The pure reducer of the client; `now` (ms since the epoch) stamps what it logs. */
export function reduce(state: AppState, action: Action, now: number): AppState {
  switch (action.type) {
    case 'phone':
      return reducePhoneEvent(state, action.event, now);
    case 'form-edit':
    case 'form-focus':
    case 'form-submit':
      return reduceForm(state, action);
    case 'users-unsupported':
      return { ...state, users: [], usersStatus: 'unsupported', selected: 0 };
    case 'select': {
      const count = visibleUsers(state).length;
      if (count === 0) return state;
      return { ...state, selected: Math.min(count - 1, Math.max(0, state.selected + action.delta)) };
    }
    case 'filter-open':
      if (state.screen !== 'main' || state.usersStatus !== 'ready') return state;
      return { ...state, filter: { value: state.filter?.value ?? '', cursor: [...(state.filter?.value ?? '')].length, editing: true } };
    case 'filter-edit':
      if (!state.filter) return state;
      return { ...state, selected: 0, filter: { value: action.value, cursor: action.cursor ?? [...action.value].length, editing: true } };
    case 'filter-close': {
      if (!state.filter) return state;
      if (action.clear || state.filter.value.trim() === '') {
        const current = visibleUsers(state)[state.selected]?.name;
        const selected = Math.max(
          0,
          state.users.findIndex((user) => user.name === current),
        );
        return { ...state, filter: undefined, selected };
      }
      return { ...state, filter: { ...state.filter, editing: false } };
    }
    case 'prompt-open':
      if (state.screen !== 'main') return state;
      return { ...state, prompt: { value: '', cursor: 0 } };
    case 'prompt-edit':
      if (!state.prompt) return state;
      return { ...state, prompt: { value: action.value, cursor: action.cursor ?? [...action.value].length } };
    case 'prompt-cancel':
      return { ...state, prompt: undefined };
    case 'prompt-submit': {
      if (!state.prompt) return state;
      const name = checkName(state.prompt.value.trim(), 'name to call');
      if (!name.ok) return { ...state, prompt: { ...state.prompt, error: name.detail } };
      return { ...state, prompt: undefined };
    }
    case 'view':
      if (state.screen !== 'main') return state;
      return { ...state, view: action.view, overlayScroll: 0 };
    case 'overlay-scroll':
      return { ...state, overlayScroll: Math.max(0, state.overlayScroll + action.delta) };
    case 'log-scroll':
      return { ...state, logScroll: Math.min(Math.max(0, state.log.length - 1), Math.max(0, state.logScroll + action.delta)) };
    case 'sas-verified': {
      const security = state.call.security;
      if (state.call.state !== 'in-call' || !security?.secure || security.sas === null || security.verified) return state;
      const call = { ...state.call, security: { ...security, verified: true } };
      return withLog({ ...state, call }, 'info', `SAS ${security.sas} marked as compared${state.call.peer !== undefined ? ` with ${state.call.peer}` : ''}`, now);
    }
    case 'quit-ask':
      return isBusy(state.call) ? { ...state, confirmQuit: true } : state;
    case 'quit-cancel':
      return { ...state, confirmQuit: false };
  }
}
