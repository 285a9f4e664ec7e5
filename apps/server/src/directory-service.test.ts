import { createMemoryRegistry } from '@voip/registry';
import { describe, expect, it } from 'vitest';
import { failingRegistry } from '../test/support/failing-registry.js';
import { DirectoryService } from './directory-service.js';
import { ServerEvents, type ServerEvent } from './events.js';

function setup() {
  const registry = failingRegistry(createMemoryRegistry());
  const events = new ServerEvents();
  const log: ServerEvent[] = [];
  events.on((event) => log.push(event));
  return { registry, log, service: new DirectoryService(registry, events) };
}

describe('DirectoryService', () => {
  it('shares one list until the directory changes', async () => {
    const { service } = setup();
    await service.register('c1', '10.0.0.1', 'alice', 5001);
    const first = await service.list();
    const second = await service.list();
    expect(first.ok && second.ok && first.value === second.value).toBe(true);
    expect(Object.isFrozen(first.ok ? first.value : undefined)).toBe(true);
    await service.register('c2', '10.0.0.2', 'bob', 5002);
    const third = await service.list();
    expect(third.ok ? third.value.map((u) => u.name) : []).toEqual(['alice', 'bob']);
    await service.release('c1');
    const fourth = await service.list();
    expect(fourth.ok ? fourth.value.map((u) => u.name) : []).toEqual(['bob']);
  });

  it('keeps a classic and a v2 view of each user, each shared until the directory changes', async () => {
    const { service, registry } = setup();
    const caps = { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] };
    await service.register('c1', '10.0.0.1', 'alice', 5001, { version: 2, caps });
    await service.register('c2', '10.0.0.2', 'bob', 5002);
    await service.register('c3', '10.0.0.3', 'carol', 5003, { version: 1 });
    expect(await registry.lookup('bob')).toMatchObject({ version: 1, caps: null });
    const classic = await service.list();
    const v2 = await service.list('v2');
    expect(classic).toEqual({
      ok: true,
      value: [
        { name: 'alice', ip: '10.0.0.1', port: 5001 },
        { name: 'bob', ip: '10.0.0.2', port: 5002 },
        { name: 'carol', ip: '10.0.0.3', port: 5003 },
      ],
    });
    expect(v2).toEqual({
      ok: true,
      value: [
        { name: 'alice', ip: '10.0.0.1', port: 5001, v: 2, caps },
        { name: 'bob', ip: '10.0.0.2', port: 5002 },
        { name: 'carol', ip: '10.0.0.3', port: 5003 },
      ],
    });
    const again = await service.list('v2');
    expect(v2.ok && again.ok && v2.value === again.value).toBe(true);
    expect(await service.lookup('ALICE')).toEqual({ ok: true, value: { name: 'alice', ip: '10.0.0.1', port: 5001 } });
    expect(await service.lookup('ALICE', 'v2')).toEqual({ ok: true, value: { name: 'alice', ip: '10.0.0.1', port: 5001, v: 2, caps } });
    const seen: { view: string; users: unknown }[] = [];
    service.watch('w1', (users) => seen.push({ view: 'classic', users }));
    service.watch('w2', (users) => seen.push({ view: 'v2', users }), 'v2');
    await service.register('c4', '10.0.0.4', 'dave', 5004, { version: 3 });
    await service.settled();
    expect(seen.map((s) => [s.view, (s.users as { v?: number }[]).map((u) => u.v ?? null)])).toEqual([
      ['classic', [null, null, null, null]],
      ['v2', [2, null, null, 3]],
    ]);
  });

  it('reports registrations, removals and storage failures as events', async () => {
    const { service, registry, log } = setup();
    await service.register('c1', '10.0.0.1', 'alice', 5001);
    await service.release('c1');
    await service.release('c1');
    registry.failing = true;
    expect(await service.register('c2', '10.0.0.2', 'bob', 5001)).toMatchObject({ ok: false, code: 'storage-failed' });
    expect(await service.lookup('bob')).toMatchObject({ ok: false, code: 'storage-failed' });
    await service.release('c2');
    expect(log.map((e) => e.type)).toEqual(['registered', 'unregistered', 'storage-error', 'storage-error', 'storage-error']);
  });

  it('removes a name whose removal failed as soon as the storage works again', async () => {
    const { service, registry, log } = setup();
    await service.register('c1', '10.0.0.1', 'alice', 5001);
    registry.failing = true;
    await service.release('c1');
    registry.failing = false;
    expect(await service.lookup('alice')).toEqual({ ok: true, value: undefined });
    expect(await service.list()).toEqual({ ok: true, value: [] });
    expect(await service.register('c2', '10.0.0.2', 'ALICE', 5001)).toMatchObject({ ok: true });
    expect(log.map((e) => e.type)).toEqual(['registered', 'storage-error', 'unregistered', 'registered']);
    expect(await registry.list()).toMatchObject([{ name: 'ALICE', owner: 'c2' }]);
  });

  it('sorts registry refusals by code', async () => {
    const { service } = setup();
    await service.register('c1', '10.0.0.1', 'alice', 5001);
    expect(await service.register('c2', '10.0.0.2', 'ALICE', 5001)).toEqual({ ok: false, code: 'name-taken', detail: 'name already taken' });
    expect(await service.register('c1', '10.0.0.1', 'other', 5001)).toMatchObject({ ok: false, code: 'owner-has-name' });
  });

  it('ends a burst of changes with every watcher holding the latest list', async () => {
    const { service } = setup();
    const seen: string[][] = [];
    service.watch('w', (users) => seen.push(users.map((u) => u.name)));
    await Promise.all(['a', 'b', 'c', 'd'].map((name, i) => service.register(`c${i}`, '10.0.0.1', name, 5001)));
    await service.release('c1');
    await service.settled();
    expect(seen.at(-1)).toEqual(['a', 'c', 'd']);
    // Pushes are serialised, never an older list after a newer one: lists grow up to
    // all four names, then only shrink.
    const full = seen.findIndex((names) => names.length === 4);
    expect(full).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < seen.length; i++) {
      if (i <= full) expect(seen[i]!.length).toBeGreaterThanOrEqual(seen[i - 1]!.length);
      else expect(seen[i]!.length).toBeLessThanOrEqual(seen[i - 1]!.length);
    }
    const stop = service.watch('w2', () => {
      throw new Error('must not be called after stop');
    });
    stop();
    await service.register('c9', '10.0.0.1', 'z', 5001);
    await service.settled();
    expect(service.watcherCount).toBe(1);
  });
});
