import { describe, expect, test } from 'vitest';
import { formatEventLine, type ClientEvent } from './json-events.js';

const time = new Date('2024-05-01T12:00:00.000Z');

describe('formatEventLine', () => {
  test.each<[ClientEvent, string]>([
    [
      { event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true },
      '{"event":"registered","time":"2024-05-01T12:00:00.000Z","name":"alice","server":"127.0.0.1:10000","udpPort":5001,"listSupported":true}',
    ],
    [
      { event: 'users', users: [{ name: 'bob', ip: '127.0.0.1', port: 5002 }] },
      '{"event":"users","time":"2024-05-01T12:00:00.000Z","users":[{"name":"bob","ip":"127.0.0.1","port":5002}]}',
    ],
    [
      { event: 'ended', peer: 'bob', reason: 'hangup' },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"hangup"}',
    ],
    [
      { event: 'ended', peer: 'bob', reason: 'error', detail: 'socket closed' },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"error","detail":"socket closed"}',
    ],
    [
      {
        event: 'stats',
        packetsSent: 10,
        packetsReceived: 9,
        packetsLost: 1,
        packetsDropped: 0,
        inputLevelDbfs: -Infinity,
        outputLevelDbfs: -20.5,
        durationMs: 1000,
      },
      '{"event":"stats","time":"2024-05-01T12:00:00.000Z","packetsSent":10,"packetsReceived":9,"packetsLost":1,"packetsDropped":0,"inputLevelDbfs":null,"outputLevelDbfs":-20.5,"durationMs":1000}',
    ],
    [
      { event: 'error', code: 'directory-lost', message: 'gone' },
      '{"event":"error","time":"2024-05-01T12:00:00.000Z","code":"directory-lost","message":"gone"}',
    ],
  ])('%j', (event, line) => {
    expect(formatEventLine(event, time)).toBe(`${line}\n`);
  });

  test('extra fields of a user object are not leaked', () => {
    const user = { name: 'bob', ip: '127.0.0.1', port: 5002, secret: 1 };
    expect(JSON.parse(formatEventLine({ event: 'users', users: [user] }, time)).users).toEqual([{ name: 'bob', ip: '127.0.0.1', port: 5002 }]);
  });
});
