/**
 * Command-line parsing of `voip-client`, as a pure function.
 */
import { DEFAULT_CALL_PORT } from '@voip/protocol';
import { KEY_REFERENCE } from './key-reference.js';
import type { SecureMode } from './phone-contract.js';
import { checkAudioSpec, checkName, checkPort, checkSeconds, checkServers, joinServers } from './validate.js';

/** Everything the command line can say, with defaults filled in. */
export interface CliOptions {
  /** `host:port` of the directory, or of several sharing one directory (`host:port,host:port`, failed over in turn), when given. */
  readonly server?: string;
  readonly name?: string;
  readonly udpPort: number;
  readonly audioIn: string;
  readonly audioOut: string;
  readonly tui: boolean;
  readonly autoAnswer: boolean;
  /** Name to call once registered (headless only). */
  readonly call?: string;
  readonly hangupAfterMs?: number;
  readonly exitAfterCall: boolean;
  readonly ringTimeoutMs: number;
  readonly silenceTimeoutMs: number;
  /** Keep the call history file (false with --no-history). */
  readonly history: boolean;
  /** `require` with --require-secure (no unencrypted call either way), `off` with --classic-only, else `prefer`. */
  readonly secure: SecureMode;
}

/** What the command line asks for: run, print help, or fail with a message (exit 2). */
export type CliParse =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

/** The usage text printed after a command-line error. */
export const USAGE = `Usage: voip-client [options]

Terminal phone of the voip directory. Without --server and --name it opens a
connect form; with both it connects at once.

Options:
  --server HOST[:PORT]     directory address (port default 10000); several servers of one
                           directory as HOST:PORT,HOST:PORT: when one is lost, the client
                           registers again on the next, and a call in progress goes on
  --name NAME              name to register (1-32 letters, digits, space . _ -)
  --udp-port N             UDP port to receive calls on (default ${DEFAULT_CALL_PORT}; 0 = any free port)
  --audio-in SPEC          microphone: device[:NAME] | wav:PATH | tone[:HZ] | silence (default device)
  --audio-out SPEC         speaker: device[:NAME] | wav:PATH | null (default device)
  --ring-timeout SECONDS   give up ringing out after this long (default 30)
  --silence-timeout SECONDS  end a call when the peer sends no audio this long (default 5)
  --no-tui                 no screen: one JSON event per line on stdout, commands on stdin
                           (needs --server and --name)
  --auto-answer            accept every incoming call (with --no-tui)
  --call NAME              call NAME once registered (with --no-tui)
  --hangup-after SECONDS   hang up this long after a call connects (with --no-tui)
  --exit-after-call        exit when the first call ends: 0 if it connected, 1 if not (with --no-tui)
  --require-secure         refuse to place or take a call that is not encrypted
                           (a peer whose client makes only classic calls)
  --classic-only           make every call in the classic form of the 2023 client
                           (not encrypted), even with peers that could encrypt
  --no-history             do not keep the call history
                           (default: $XDG_CONFIG_HOME/voip/history.json or ~/.config/voip/history.json)
  -h, --help               show this help, with the keys of the terminal UI
  --version                print the version

Exit codes: 0 clean, 1 call failed (--exit-after-call), 2 critical error, 3 bug.
`;

type ValueFlag = 'server' | 'name' | 'udp-port' | 'audio-in' | 'audio-out' | 'call' | 'hangup-after' | 'ring-timeout' | 'silence-timeout';
type BoolFlag = 'no-tui' | 'auto-answer' | 'exit-after-call' | 'no-history' | 'require-secure' | 'classic-only' | 'help' | 'version';

const VALUE_FLAGS: ReadonlySet<string> = new Set<ValueFlag>(['server', 'name', 'udp-port', 'audio-in', 'audio-out', 'call', 'hangup-after', 'ring-timeout', 'silence-timeout']);
const BOOL_FLAGS: ReadonlySet<string> = new Set<BoolFlag>(['no-tui', 'auto-answer', 'exit-after-call', 'no-history', 'require-secure', 'classic-only', 'help', 'version']);

/** `--help`: the usage, then every key of the terminal UI (from the one key table). */
export function helpText(): string {
  const width = Math.max(...KEY_REFERENCE.map((row) => row.keys.length));
  const where = Math.max(...KEY_REFERENCE.map((row) => row.where.length));
  const rows = KEY_REFERENCE.map((row) => `  ${row.keys.padEnd(width)}  ${row.where.padEnd(where)}  ${row.action}`);
  return `${USAGE}\nKeys of the terminal UI:\n${rows.join('\n')}\n`;
}

/** Parses the arguments after `voip-client` (no node path, no script path). */
export function parseCli(argv: readonly string[]): CliParse {
  const values = new Map<string, string>();
  const bools = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] === '-h' ? '--help' : (argv[i] as string);
    if (!arg.startsWith('--')) return error('unexpected-argument', `unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (BOOL_FLAGS.has(flag)) {
      if (eq >= 0) return error('flag-takes-no-value', `--${flag} takes no value`);
      bools.add(flag);
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) return error('unknown-flag', `unknown option --${flag}`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return error('missing-value', `--${flag} needs a value`);
      value = next;
      i++;
    }
    if (values.has(flag)) return error('repeated-flag', `--${flag} is given twice`);
    values.set(flag, value);
  }
  if (bools.has('help')) return { kind: 'help' };
  if (bools.has('version')) return { kind: 'version' };

  let server: string | undefined;
  const serverText = values.get('server');
  if (serverText !== undefined) {
    const checked = checkServers(serverText);
    if (!checked.ok) return error(checked.code, `--server: ${checked.detail}`);
    server = joinServers(checked.value);
  }
  const name = values.get('name');
  if (name !== undefined) {
    const checked = checkName(name);
    if (!checked.ok) return error(checked.code, `--name: ${checked.detail}`);
  }
  const call = values.get('call');
  if (call !== undefined) {
    const checked = checkName(call, 'name to call');
    if (!checked.ok) return error(checked.code, `--call: ${checked.detail}`);
  }
  let udpPort = DEFAULT_CALL_PORT;
  const udpText = values.get('udp-port');
  if (udpText !== undefined) {
    const checked = udpText.trim() === '0' ? ({ ok: true, value: 0 } as const) : checkPort(udpText, 'UDP port');
    if (!checked.ok) return error(checked.code, `--udp-port: ${checked.detail}`);
    udpPort = checked.value;
  }
  const audio: Record<'in' | 'out', string> = { in: 'device', out: 'device' };
  for (const direction of ['in', 'out'] as const) {
    const text = values.get(`audio-${direction}`);
    if (text === undefined) continue;
    const checked = checkAudioSpec(text, direction);
    if (!checked.ok) return error(checked.code, checked.detail);
    audio[direction] = checked.value;
  }
  const seconds: Record<string, number | undefined> = {};
  for (const flag of ['hangup-after', 'ring-timeout', 'silence-timeout']) {
    const text = values.get(flag);
    if (text === undefined) continue;
    const checked = checkSeconds(text, `--${flag}`);
    if (!checked.ok) return error(checked.code, checked.detail);
    seconds[flag] = checked.value;
  }

  const tui = !bools.has('no-tui');
  if (tui) {
    for (const flag of ['auto-answer', 'exit-after-call'] as const) {
      if (bools.has(flag)) return error('needs-no-tui', `--${flag} works only with --no-tui`);
    }
    for (const flag of ['call', 'hangup-after'] as const) {
      if (values.has(flag)) return error('needs-no-tui', `--${flag} works only with --no-tui`);
    }
  } else {
    if (server === undefined) return error('missing-server', '--no-tui needs --server HOST:PORT');
    if (name === undefined) return error('missing-name', '--no-tui needs --name NAME');
  }

  if (bools.has('require-secure') && bools.has('classic-only')) {
    return error('conflicting-flags', '--require-secure and --classic-only contradict each other: choose one');
  }
  const options: CliOptions = {
    ...(server !== undefined ? { server } : {}),
    ...(name !== undefined ? { name } : {}),
    udpPort,
    audioIn: audio.in,
    audioOut: audio.out,
    tui,
    autoAnswer: bools.has('auto-answer'),
    ...(call !== undefined ? { call } : {}),
    ...(seconds['hangup-after'] !== undefined ? { hangupAfterMs: seconds['hangup-after'] } : {}),
    exitAfterCall: bools.has('exit-after-call'),
    ringTimeoutMs: seconds['ring-timeout'] ?? 30_000,
    silenceTimeoutMs: seconds['silence-timeout'] ?? 5_000,
    history: !bools.has('no-history'),
    secure: bools.has('require-secure') ? 'require' : bools.has('classic-only') ? 'off' : 'prefer',
  };
  return { kind: 'run', options };
}

function error(code: string, message: string): CliParse {
  return { kind: 'error', code, message };
}
