/**
 * The JSON event lines of `voip-client --no-tui`: one object a line on stdout,
 * `{"event": ..., "time": ISO8601, ...fields}`.
 */
import type { CallStats, DirectoryUser, EndReason } from './phone-contract.js';

/** Every event the headless client writes, without its time. */
export type ClientEvent =
  | { readonly event: 'registered'; readonly name: string; readonly server: string; readonly udpPort: number; readonly listSupported: boolean }
  | { readonly event: 'users'; readonly users: readonly DirectoryUser[] }
  | { readonly event: 'incoming'; readonly caller: string; readonly ip: string; readonly port: number }
  | { readonly event: 'calling'; readonly peer: string }
  | { readonly event: 'connected'; readonly peer: string }
  | { readonly event: 'ended'; readonly peer: string; readonly reason: EndReason; readonly detail?: string }
  | ({ readonly event: 'stats' } & CallStats)
  | { readonly event: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  | { readonly event: 'error'; readonly code: string; readonly message: string };

/**
 * One event as a JSON line (with its trailing `\n`). Levels of silence
 * (-Infinity dBFS), which JSON cannot hold, are written as `null`.
 */
export function formatEventLine(event: ClientEvent, time: Date): string {
  const { event: name, ...fields } = event;
  const out: Record<string, unknown> = { event: name, time: time.toISOString() };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (key === 'users') {
      out[key] = (value as readonly DirectoryUser[]).map((u) => ({ name: u.name, ip: u.ip, port: u.port }));
    } else {
      out[key] = typeof value === 'number' && !Number.isFinite(value) ? null : value;
    }
  }
  return `${JSON.stringify(out)}\n`;
}
