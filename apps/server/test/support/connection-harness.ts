/** A connection handler on a memory registry (that can be told to fail) and a manual clock, for unit tests. */
import { createMemoryRegistry } from '@voip/registry';
import { createManualClock } from '@voip/clock';
import { ConnectionHandler, type ConnectionEffect } from '../../src/connection-handler.js';
import { DirectoryService } from '../../src/directory-service.js';
import { ServerEvents } from '../../src/events.js';
import { failingRegistry } from './failing-registry.js';

/** Text as the UTF-8 bytes a socket delivers. */
export const bytes = (text: string) => new TextEncoder().encode(text);

/** A directory service and a factory of handlers on it: `connect(ip)` gives a handler, its effects, and `request(text)`. */
export function setup(options: { rateLimit?: number; idleTimeoutMs?: number; silenceLimitMs?: number; maxRequestsWithoutName?: number; maxInboxBytes?: number } = {}) {
  const registry = failingRegistry(createMemoryRegistry());
  const events = new ServerEvents();
  const service = new DirectoryService(registry, events);
  const clock = createManualClock();
  let next = 1;
  function connect(ip = '127.0.0.1') {
    const effects: ConnectionEffect[] = [];
    const handler = new ConnectionHandler({
      id: `c${next++}`,
      ip,
      service,
      clock,
      output: (effect) => effects.push(effect),
      rateLimit: options.rateLimit ?? 0,
      idleTimeoutMs: options.idleTimeoutMs ?? 0,
      ...(options.silenceLimitMs === undefined ? {} : { silenceLimitMs: options.silenceLimitMs }),
      ...(options.maxInboxBytes === undefined ? {} : { maxInboxBytes: options.maxInboxBytes }),
      ...(options.maxRequestsWithoutName === undefined ? {} : { maxRequestsWithoutName: options.maxRequestsWithoutName }),
    });
    const sent = () => effects.filter((e) => e.type === 'send').map((e) => (e as { message: unknown }).message);
    async function request(text: string) {
      const before = sent().length;
      handler.receive(bytes(text));
      await handler.idle();
      return sent().slice(before);
    }
    return { handler, effects, sent, request };
  }
  return { registry, service, clock, connect, events };
}
