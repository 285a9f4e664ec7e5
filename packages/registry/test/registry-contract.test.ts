import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { InvalidEntryError, NameTakenError, OwnerHasNameError, RegistryError, RegistryStorageError, type NewRegistryEntry, type Registry } from '../src/index.js';
import { CONTRACT_BACKENDS, stopContractBackends } from './support/contract-backends.js';

const backends = [...CONTRACT_BACKENDS];
afterAll(stopContractBackends);

function entry(name: string, owner: string, extra: Partial<NewRegistryEntry> = {}): NewRegistryEntry {
  return { name, owner, ip: '127.0.0.1', port: 5001, ...extra };
}

describe.each(backends)('Registry contract: $label', (backend) => {
  let registry: Registry;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ registry, dispose } = await backend.open());
  });
  afterEach(async () => {
    await dispose();
  });

  test('register returns the stored entry and lookup finds it without case', async () => {
    const since = new Date('2024-05-01T10:20:30.456Z');
    const stored = await registry.register(entry('Alice', 'c1', { ip: '10.0.0.7', port: 5002, since }));
    expect(stored).toEqual({ name: 'Alice', ip: '10.0.0.7', port: 5002, owner: 'c1', since, version: 1, caps: null });
    for (const asked of ['Alice', 'alice', 'ALICE', 'aLiCe']) {
      expect(await registry.lookup(asked)).toEqual(stored);
    }
    expect(await registry.lookup('Alic')).toBeUndefined();
    expect(await registry.lookup('Alice ')).toBeUndefined();
  });

  test('only ASCII letters fold: names differing in the case of other letters are distinct', async () => {
    await registry.register(entry('Élodie', 'c1'));
    await registry.register(entry('élodie', 'c2'));
    await expect(registry.register(entry('éLODIE', 'c3'))).rejects.toBeInstanceOf(NameTakenError);
    expect((await registry.lookup('ÉLODIE'))?.owner).toBe('c1');
    expect((await registry.lookup('ÉLODIE'))?.name).toBe('Élodie');
    expect((await registry.list()).map((e) => e.name)).toEqual(['Élodie', 'élodie']);
  });

  test('ports and dates round-trip', async () => {
    const cases = [
      { name: 'p1', port: 1, since: new Date(0) },
      { name: 'p2', port: 65535, since: new Date('2099-12-31T23:59:59.999Z') },
      { name: 'p3', port: 5001, since: new Date('1999-01-01T00:00:00.001Z') },
    ];
    for (const [i, c] of cases.entries()) await registry.register(entry(c.name, `o${i}`, { port: c.port, since: c.since }));
    for (const c of cases) {
      const found = await registry.lookup(c.name);
      expect(found?.port).toBe(c.port);
      expect(found?.since).toBeInstanceOf(Date);
      expect(found?.since.getTime()).toBe(c.since.getTime());
    }
  });

  test('version and caps round-trip; an entry without them is version 1 with null caps', async () => {
    const caps = { formats: [{ codec: 'L16', rate: 8000, frames: [160, 512] }] };
    const v2 = await registry.register(entry('alice', 'c1', { version: 2, caps }));
    expect(v2).toMatchObject({ version: 2, caps });
    await registry.register(entry('bob', 'c2', { version: 3 }));
    await registry.register(entry('carol', 'c3', { version: 1, caps: null }));
    await registry.register(entry('dave', 'c4'));
    expect(await registry.lookup('ALICE')).toEqual(v2);
    expect((await registry.list()).map((e) => [e.name, e.version, e.caps])).toEqual([
      ['alice', 2, caps],
      ['bob', 3, null],
      ['carol', 1, null],
      ['dave', 1, null],
    ]);
    expect(await registry.removeByOwner('c1')).toEqual(v2);
  });

  test('caps are stored in canonical form, unknown codecs kept, and read back as copies', async () => {
    const given = {
      formats: [
        { frames: [960], rate: 48000, codec: 'OPUS', extra: 1 },
        { codec: 'L16', rate: 8000, frames: [160] },
      ],
    };
    const canonical = {
      formats: [
        { codec: 'OPUS', rate: 48000, frames: [960] },
        { codec: 'L16', rate: 8000, frames: [160] },
      ],
    };
    const stored = await registry.register(entry('alice', 'c1', { version: 2, caps: given as unknown as NewRegistryEntry['caps'] }));
    expect(stored.caps).toEqual(canonical);
    expect(JSON.stringify(stored.caps)).toBe(JSON.stringify(canonical));
    (stored.caps?.formats[0]?.frames as number[]).push(1);
    const found = await registry.lookup('alice');
    expect(JSON.stringify(found?.caps)).toBe(JSON.stringify(canonical));
    (found?.caps?.formats as unknown[]).length = 0;
    expect((await registry.list())[0]?.caps).toEqual(canonical);
  });

  test('since defaults to now', async () => {
    const before = Date.now();
    const stored = await registry.register(entry('bob', 'c1'));
    const after = Date.now();
    expect(stored.since.getTime()).toBeGreaterThanOrEqual(before);
    expect(stored.since.getTime()).toBeLessThanOrEqual(after);
    expect((await registry.lookup('bob'))?.since.getTime()).toBe(stored.since.getTime());
  });

  test('list is sorted by name without case, then with', async () => {
    expect(await registry.list()).toEqual([]);
    const names = ['charlie', 'Bob', 'alice', 'Zed', 'b.c', 'b_c', 'b-c', '10', 'dave 2'];
    for (const [i, name] of names.entries()) await registry.register(entry(name, `o${i}`));
    const listed = (await registry.list()).map((e) => e.name);
    const expected = [...names].sort((a, b) => {
      const ka = a.toLowerCase();
      const kb = b.toLowerCase();
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    expect(listed).toEqual(expected);
    expect(listed.slice(0, 3)).toEqual(['10', 'alice', 'b-c']);
  });

  test('a name taken in another case gives NameTakenError and changes nothing', async () => {
    await registry.register(entry('alice', 'c1', { port: 6000 }));
    const attempt = registry.register(entry('ALICE', 'c2', { port: 7000 }));
    await expect(attempt).rejects.toBeInstanceOf(NameTakenError);
    await expect(attempt).rejects.toMatchObject({ code: 'name-taken', takenName: 'ALICE', name: 'NameTakenError' });
    await expect(attempt).rejects.toBeInstanceOf(RegistryError);
    expect(await registry.list()).toEqual([expect.objectContaining({ name: 'alice', owner: 'c1', port: 6000 })]);
    // c2 holds nothing: it can still take another name.
    expect(await registry.removeByOwner('c2')).toBeUndefined();
    await registry.register(entry('bob', 'c2'));
    expect((await registry.list()).map((e) => e.name)).toEqual(['alice', 'bob']);
  });

  test('an owner already holding a name gives OwnerHasNameError and changes nothing', async () => {
    await registry.register(entry('alice', 'c1'));
    const attempt = registry.register(entry('bob', 'c1'));
    await expect(attempt).rejects.toBeInstanceOf(OwnerHasNameError);
    await expect(attempt).rejects.toMatchObject({ code: 'owner-has-name', owner: 'c1' });
    expect(await registry.lookup('bob')).toBeUndefined();
    expect((await registry.list()).map((e) => e.name)).toEqual(['alice']);
  });

  test('an owner asking again for the name it holds gets OwnerHasNameError', async () => {
    await registry.register(entry('alice', 'c1'));
    await expect(registry.register(entry('Alice', 'c1'))).rejects.toBeInstanceOf(OwnerHasNameError);
    expect((await registry.list()).map((e) => e.name)).toEqual(['alice']);
  });

  test('removeByOwner returns the entry and frees the name', async () => {
    const stored = await registry.register(entry('alice', 'c1', { since: new Date(1_700_000_000_000) }));
    await registry.register(entry('bob', 'c2'));
    expect(await registry.removeByOwner('c1')).toEqual(stored);
    expect(await registry.lookup('alice')).toBeUndefined();
    expect(await registry.removeByOwner('c1')).toBeUndefined();
    // Both the name and the owner are free again.
    await registry.register(entry('ALICE', 'c3'));
    await registry.register(entry('carol', 'c1'));
    expect((await registry.list()).map((e) => [e.name, e.owner])).toEqual([
      ['ALICE', 'c3'],
      ['bob', 'c2'],
      ['carol', 'c1'],
    ]);
  });

  test('removing an unknown owner returns undefined and changes nothing', async () => {
    await registry.register(entry('alice', 'c1'));
    expect(await registry.removeByOwner('nobody')).toBeUndefined();
    expect(await registry.removeByOwner('alice')).toBeUndefined();
    expect((await registry.list()).length).toBe(1);
  });

  test('clear removes every entry', async () => {
    await registry.register(entry('alice', 'c1'));
    await registry.register(entry('bob', 'c2'));
    await registry.clear();
    expect(await registry.list()).toEqual([]);
    expect(await registry.lookup('alice')).toBeUndefined();
    await registry.register(entry('alice', 'c2'));
    expect((await registry.lookup('ALICE'))?.owner).toBe('c2');
  });

  test('returned entries are copies', async () => {
    const stored = await registry.register(entry('alice', 'c1', { since: new Date(1000) }));
    stored.since.setTime(5000);
    const found = await registry.lookup('alice');
    expect(found?.since.getTime()).toBe(1000);
    found?.since.setTime(9000);
    expect((await registry.list())[0]?.since.getTime()).toBe(1000);
  });

  test.each([
    ['name', entry('', 'c1')],
    ['ip', entry('alice', 'c1', { ip: '' })],
    ['port', entry('alice', 'c1', { port: 0 })],
    ['port', entry('alice', 'c1', { port: 65536 })],
    ['port', entry('alice', 'c1', { port: 5001.5 })],
    ['owner', entry('alice', '')],
    ['since', entry('alice', 'c1', { since: new Date(Number.NaN) })],
    ['version', entry('alice', 'c1', { version: 0 })],
    ['version', entry('alice', 'c1', { version: 1.5 })],
    ['version', entry('alice', 'c1', { version: 2 ** 31 })],
    ['caps', entry('alice', 'c1', { version: 2, caps: { formats: [] } })],
    ['caps', entry('alice', 'c1', { version: 2, caps: { formats: [{ codec: 'L16', rate: 8000, frames: [0] }] } })],
    ['caps', entry('alice', 'c1', { version: 2, caps: 'L16' as unknown as NewRegistryEntry['caps'] })],
  ] as const)('an unusable %s is refused with InvalidEntryError', async (field, bad) => {
    await expect(registry.register(bad)).rejects.toMatchObject({ code: 'invalid-entry', field });
    await expect(registry.register(bad)).rejects.toBeInstanceOf(InvalidEntryError);
    expect(await registry.list()).toEqual([]);
  });

  test('50 racing registrations of one name yield exactly one success', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => registry.register(entry(i % 2 === 0 ? 'race' : 'RACE', `o${i}`, { port: 1000 + i }))));
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    for (const r of lost) expect(r.reason).toBeInstanceOf(NameTakenError);
    const listed = await registry.list();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toEqual(won[0]?.status === 'fulfilled' ? won[0].value : undefined);
  });

  test('racing registrations by one owner yield exactly one success', async () => {
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => registry.register(entry(`name${i}`, 'same-owner'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(OwnerHasNameError);
    expect(await registry.list()).toHaveLength(1);
  });

  test('random operation sequences agree with a reference model', async () => {
    // Few names, in several cases, and few owners, so that conflicts are frequent.
    const name = fc.constantFrom('al', 'AL', 'Al', 'bo', 'BO', 'cy', 'c.y', 'C.Y');
    const owner = fc.constantFrom('o1', 'o2', 'o3', 'o4');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('register' as const), name, owner, port: fc.integer({ min: 1, max: 65535 }) }),
      fc.record({ kind: fc.constant('remove' as const), owner }),
      fc.record({ kind: fc.constant('lookup' as const), name }),
      fc.record({ kind: fc.constant('clear' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
        await registry.clear();
        const model = new Map<string, { name: string; owner: string; port: number }>(); // key: lower-case name
        for (const o of ops) {
          if (o.kind === 'register') {
            const holds = [...model.values()].some((e) => e.owner === o.owner);
            const taken = model.has(o.name.toLowerCase());
            const result = await registry.register(entry(o.name, o.owner, { port: o.port })).then(
              () => 'ok',
              (error: unknown) => (error instanceof RegistryError ? error.code : 'other'),
            );
            expect(result).toBe(holds ? 'owner-has-name' : taken ? 'name-taken' : 'ok');
            if (result === 'ok') model.set(o.name.toLowerCase(), { name: o.name, owner: o.owner, port: o.port });
          } else if (o.kind === 'remove') {
            const held = [...model.entries()].find(([, e]) => e.owner === o.owner);
            const removed = await registry.removeByOwner(o.owner);
            expect(removed?.name).toBe(held?.[1].name);
            if (held) model.delete(held[0]);
          } else if (o.kind === 'lookup') {
            const found = await registry.lookup(o.name);
            const expected = model.get(o.name.toLowerCase());
            expect(found === undefined ? undefined : { name: found.name, owner: found.owner, port: found.port }).toEqual(expected);
          } else {
            await registry.clear();
            model.clear();
          }
        }
        const listed = (await registry.list()).map((e) => e.name);
        expect(listed).toEqual([...model.keys()].sort().map((k) => model.get(k)?.name));
      }),
      { numRuns: 60 },
    );
  });

  test('after close every call rejects with RegistryStorageError', async () => {
    await registry.register(entry('alice', 'c1'));
    await registry.close();
    await expect(registry.lookup('alice')).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.register(entry('bob', 'c2'))).rejects.toMatchObject({ code: 'storage-failed' });
    await expect(registry.list()).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.removeByOwner('c1')).rejects.toBeInstanceOf(RegistryStorageError);
    await expect(registry.clear()).rejects.toBeInstanceOf(RegistryStorageError);
    await registry.close(); // closing twice is harmless
  });
});
