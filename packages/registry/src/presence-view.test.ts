import { describe, expect, it } from 'vitest';
import { PresenceView, type ViewRow } from './presence-view.js';

const row = (name: string, serverId: string, connId: string): ViewRow => ({ name, ip: '10.0.0.1', port: 5001, serverId, connId, since: 0, version: 1, caps: null });
const inserted = (r: ViewRow) =>
  JSON.stringify({ op: 'I', name: r.name, ip: r.ip, port: r.port, server_id: r.serverId, conn_id: r.connId, since: r.since, version: r.version, caps: r.caps });
const deleted = (r: ViewRow, key = r.name.toLowerCase()) => JSON.stringify({ op: 'D', server_id: r.serverId, conn_id: r.connId, name_key: key });

describe('PresenceView', () => {
  it('applies the notifications of other servers, never of its own, and lists everyone sorted', () => {
    const view = new PresenceView('a');
    view.addOwn(row('bob', 'a', 'c1'));
    expect(view.applyNotification(inserted(row('Alice', 'b', 'c1')))).toBe(true);
    expect(view.applyNotification(inserted(row('carol', 'a', 'c9')))).toBe(false);
    expect(view.list().map((r) => r.name)).toEqual(['Alice', 'bob']);
    expect(view.lookup('alice')?.serverId).toBe('b');
    expect(view.otherCount).toBe(1);
    expect(view.applyNotification(deleted(row('bob', 'a', 'c1')))).toBe(false);
    expect(view.lookup('bob')?.connId).toBe('c1');
  });

  it('a delete removes only the entry of the same owner; bad payloads change nothing', () => {
    const view = new PresenceView('a');
    view.applyNotification(inserted(row('alice', 'b', 'c1')));
    view.applyNotification(deleted(row('alice', 'b', 'c1')));
    view.applyNotification(inserted(row('alice', 'c', 'c7')));
    // A late delete of b's old row leaves c's entry alone.
    expect(view.applyNotification(deleted(row('alice', 'b', 'c1')))).toBe(false);
    expect(view.lookup('alice')?.serverId).toBe('c');
    for (const payload of ['', 'not json', '42', '{"op":"I","name":""}', '{"op":"X"}']) expect(view.applyNotification(payload)).toBe(false);
    expect(view.list()).toHaveLength(1);
  });

  it('a read of the table replaces the others, keeps its own, and the list is one array until a change', () => {
    const view = new PresenceView('a');
    view.addOwn(row('bob', 'a', 'c1'));
    view.applyNotification(inserted(row('ghost', 'b', 'c1')));
    view.replaceOthers([row('carol', 'b', 'c2'), row('bob', 'a', 'c1')]);
    const list = view.list();
    expect(list.map((r) => r.name)).toEqual(['bob', 'carol']);
    expect(view.list()).toBe(list);
    expect(view.removeOwn('c1')?.name).toBe('bob');
    expect(view.list().map((r) => r.name)).toEqual(['carol']);
    expect(view.holdsOwn('c1')).toBe(false);
  });
});
