/**
 * The connect form of the terminal client: its fields, their checks, and the
 * reducer of the form's edits (`host:port` in the host field fills the port).
 */
import { DEFAULT_DIRECTORY_PORT, parseHostPort } from '@voip/protocol';
import type { Action, AppState, FormField, FormState, InitialInput } from './app-state-types.js';
import { checkHost, checkName, checkPort, joinServers, splitServers } from './validate.js';

/** Order of the form fields, top to bottom; Enter connects from `name` on. */
export const FORM_FIELDS: readonly FormField[] = ['host', 'port', 'name', 'udpPort'];

/** The first field from which Enter connects instead of moving on. */
const SUBMIT_FROM: FormField = 'name';

/** Whether Enter in this field connects (it moves to the next field before `name`). */
export function submitsFrom(field: FormField): boolean {
  return FORM_FIELDS.indexOf(field) >= FORM_FIELDS.indexOf(SUBMIT_FROM);
}

/** The form as the command line pre-fills it. */
export function initialForm(input: InitialInput): FormState {
  // A --server the parser refuses is shown as typed: the form says why on submit. Of
  // several servers the form shows the first; the others stay the ones failed over to.
  const first = input.server === undefined ? undefined : splitServers(input.server)[0]!;
  const parsed = first === undefined ? undefined : parseHostPort(first, DEFAULT_DIRECTORY_PORT);
  const values = {
    host: parsed === undefined ? '' : parsed.ok ? parsed.value.host : (first ?? ''),
    port: parsed?.ok ? String(parsed.value.port) : String(DEFAULT_DIRECTORY_PORT),
    name: input.name ?? '',
    udpPort: input.udpPort === undefined ? '' : String(input.udpPort),
  };
  const focus: FormField = input.server === undefined ? 'host' : 'name';
  return { values, focus, cursor: [...values[focus]].length, errors: {} };
}

/**
 * The UDP port a valid form asks to receive calls on: its UDP port field, or
 * `fallback` (the command line's) when that field is left empty.
 */
export function formUdpPort(form: FormState, fallback: number): number {
  const text = form.values.udpPort.trim();
  return text === '' ? fallback : Number(text);
}

/** The directory address of a valid form, as `host:port`. */
export function formServer(form: FormState): string {
  const { host, port } = normalized(form.values);
  return `${host.trim()}:${Number(port.trim())}`;
}

/**
 * The directory servers to connect to: the form's, then the others of a `--server`
 * list (`given`), which the phone fails over to.
 */
export function formServers(form: FormState, given: string | undefined): string {
  return joinServers([formServer(form), ...(given === undefined ? [] : splitServers(given).slice(1))]);
}

/** Checks every field; returns the reasons to show next to them (empty when valid). */
export function validateForm(values: FormState['values']): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  const typed = typedHostPort(values.host);
  const split = normalized(values);
  const host = typed.ok || typed.code === 'empty' ? checkHost(split.host) : typed;
  if (!host.ok) errors.host = host.detail;
  // A directory may listen on a privileged port (e.g. 443); our UDP port may not.
  const port = checkPort(split.port, 'port', 1);
  if (!port.ok) errors.port = port.detail;
  const name = checkName(values.name);
  if (!name.ok) errors.name = name.detail;
  if (values.udpPort.trim() !== '') {
    const udp = checkPort(values.udpPort, 'UDP port');
    if (!udp.ok) errors.udpPort = udp.detail;
  }
  return errors;
}

/** The form's edits: typing, moving between fields, submitting. */
export function reduceForm(state: AppState, action: Extract<Action, { type: 'form-edit' | 'form-focus' | 'form-submit' }>): AppState {
  if (state.screen !== 'connect') return state;
  const form = state.form;
  switch (action.type) {
    case 'form-edit': {
      const { field, value } = action;
      const cursor = action.cursor ?? [...value].length;
      let values = { ...form.values, [field]: value };
      const errors: Partial<Record<FormField, string>> = { ...form.errors };
      delete errors[field];
      // `host:port` typed in the host field: the port field follows it.
      if (field === 'host') {
        const typed = typedHostPort(value);
        if (typed.ok && typed.value.port !== undefined) {
          values = { ...values, port: String(typed.value.port) };
          delete errors.port;
        }
      }
      return { ...state, form: { ...form, values, errors, ...(field === form.focus ? { cursor } : {}) } };
    }
    case 'form-focus': {
      const index = FORM_FIELDS.indexOf(form.focus);
      // Leaving a host field that held `host:port` forwards: the port is filled in, go past it.
      const typed = form.focus === 'host' && action.delta === 1 ? typedHostPort(form.values.host) : undefined;
      const step = typed?.ok && typed.value.port !== undefined && FORM_FIELDS[index + 1] === 'port' ? 2 : action.delta;
      const focus = FORM_FIELDS[(index + step + FORM_FIELDS.length) % FORM_FIELDS.length] as FormField;
      const values = normalized(form.values);
      return { ...state, form: { ...form, values, focus, cursor: [...values[focus]].length } };
    }
    case 'form-submit': {
      const errors = validateForm(form.values);
      const first = FORM_FIELDS.find((field) => errors[field] !== undefined);
      const values = normalized(form.values);
      if (first) return { ...state, form: { ...form, values, errors, focus: first, cursor: [...values[first]].length } };
      const { failure: _dropped, ...rest } = form;
      return { ...state, screen: 'connecting', form: { ...rest, values, errors: {} } };
    }
  }
}

/** The values with a `host:port` in the host field split into host and port. */
function normalized(values: FormState['values']): FormState['values'] {
  const typed = typedHostPort(values.host);
  return typed.ok && typed.value.port !== undefined ? { ...values, host: typed.value.host, port: String(typed.value.port) } : values;
}

/** What the host field holds, read by the one host:port parser; `port` only when one is typed. */
function typedHostPort(text: string): { ok: true; value: { host: string; port?: number } } | { ok: false; code: string; detail: string } {
  // No port from the parser is 0, which it never reads from text (ports are 1-65535).
  const parsed = parseHostPort(text, 0);
  if (!parsed.ok) return parsed;
  return { ok: true, value: parsed.value.port === 0 ? { host: parsed.value.host } : parsed.value };
}
