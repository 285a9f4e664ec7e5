/** Drives `line-clients.mjs` (raw directory connections inside a network namespace) from a test. */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The program: `node LINE_CLIENTS_BIN HOST PORT`. */
export const LINE_CLIENTS_BIN = join(dirname(fileURLToPath(import.meta.url)), 'line-clients.mjs');

/** What happened on one connection, in order. */
export type LineEvent = { readonly connected: true } | { readonly message: Record<string, unknown> } | { readonly closed: true; readonly error?: string };

/** Raw directory connections of one `line-clients.mjs` process, each named by an id. */
export class LineClients {
  private readonly events = new Map<string, LineEvent[]>();
  private readonly read = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const { id, ...event } = JSON.parse(line) as { id: string } & LineEvent;
      const list = this.events.get(id) ?? [];
      list.push(event as LineEvent);
      this.events.set(id, list);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Sends one request on connection `id`, opening it first if needed. */
  send(id: string, message: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify({ id, send: message })}\n`);
  }

  /** The next message on `id` not read yet; rejects after `timeoutMs` or if the connection closes. */
  async next(id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const event = await this.waitFor(id, (e) => 'message' in e || 'closed' in e, timeoutMs);
    if ('closed' in event) throw new Error(`connection ${id} closed (${event.error ?? 'FIN'})`);
    return (event as { message: Record<string, unknown> }).message;
  }

  /** Sends a request and reads the next message on `id`. */
  request(id: string, message: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>> {
    this.send(id, message);
    return this.next(id, timeoutMs);
  }

  /** True once connection `id` reported its close. */
  isClosed(id: string): boolean {
    return (this.events.get(id) ?? []).some((e) => 'closed' in e);
  }

  private waitFor(id: string, match: (event: LineEvent) => boolean, timeoutMs: number): Promise<LineEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const list = this.events.get(id) ?? [];
        for (let i = this.read.get(id) ?? 0; i < list.length; i++) {
          this.read.set(id, i + 1);
          if (match(list[i]!)) {
            done();
            resolve(list[i]!);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`nothing on connection ${id} in ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
