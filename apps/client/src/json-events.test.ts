import { describe, expect, test } from 'vitest';
import { v2Stats } from '../test/ui/fake-phone.js';
import { formatEventLine, isJsonEvent, type JsonEvent } from './json-events.js';

const time = new Date('2024-05-01T12:00:00.000Z');

describe('formatEventLine', () => {
  test.each<[JsonEvent, string]>([
    [
      { event: 'registered', name: 'alice', server: '127.0.0.1:10000', udpPort: 5001, listSupported: true },
      '{"event":"registered","time":"2024-05-01T12:00:00.000Z","name":"alice","server":"127.0.0.1:10000","udpPort":5001,"listSupported":true}',
    ],
    [
      { event: 'users', users: [{ name: 'bob', ip: '127.0.0.1', port: 5002 }] },
      '{"event":"users","time":"2024-05-01T12:00:00.000Z","users":[{"name":"bob","ip":"127.0.0.1","port":5002}]}',
    ],
    [
      { event: 'ended', peer: 'bob', reason: 'hangup', direction: 'outgoing', message: 'you hung up the call with bob', durationMs: 0 },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"hangup","direction":"outgoing","message":"you hung up the call with bob","durationMs":0}',
    ],
    [
      { event: 'ended', peer: 'bob', reason: 'error', direction: 'incoming', message: 'the call from bob failed: socket closed', durationMs: 1500, detail: 'socket closed' },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"error","direction":"incoming","message":"the call from bob failed: socket closed","durationMs":1500,"detail":"socket closed"}',
    ],
    [
      {
        event: 'ended',
        peer: 'bob',
        reason: 'remote-hangup',
        direction: 'outgoing',
        message: 'bob hung up',
        durationMs: 2000,
        stats: {
          packetsSent: 31,
          packetsReceived: 30,
          packetsLost: 1,
          packetsDropped: 2,
          inputLevelDbfs: -6.021,
          outputLevelDbfs: -Infinity,
          durationMs: 2000.4,
          packetsRejected: 0,
          packetsReplayed: 0,
          packetsLate: 0,
          packetsConcealed: 0,
          jitterMs: 0,
          playoutDelayMs: 0,
        },
      },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"remote-hangup","direction":"outgoing","message":"bob hung up","durationMs":2000,"stats":{"packetsSent":31,"packetsReceived":30,"packetsLost":1,"packetsDropped":2,"inputLevelDbfs":-6.02,"outputLevelDbfs":null,"durationMs":2000,"packetsRejected":0,"packetsReplayed":0,"packetsLate":0,"packetsConcealed":0,"jitterMs":0,"playoutDelayMs":0}}',
    ],
    [{ event: 'waiting', peer: 'bob', timeoutMs: 10000 }, '{"event":"waiting","time":"2024-05-01T12:00:00.000Z","peer":"bob","timeoutMs":10000}'],
    [{ event: 'audio', muted: true, volume: 80 }, '{"event":"audio","time":"2024-05-01T12:00:00.000Z","muted":true,"volume":80}'],
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
        packetsRejected: 0,
        packetsReplayed: 0,
        packetsLate: 0,
        packetsConcealed: 0,
        jitterMs: 0,
        playoutDelayMs: 0,
      },
      '{"event":"stats","time":"2024-05-01T12:00:00.000Z","packetsSent":10,"packetsReceived":9,"packetsLost":1,"packetsDropped":0,"inputLevelDbfs":null,"outputLevelDbfs":-20.5,"durationMs":1000,"packetsRejected":0,"packetsReplayed":0,"packetsLate":0,"packetsConcealed":0,"jitterMs":0,"playoutDelayMs":0}',
    ],
    [
      { event: 'connected', peer: 'bob', protocol: 'v2', secure: true, sas: 'K7QX' },
      '{"event":"connected","time":"2024-05-01T12:00:00.000Z","peer":"bob","protocol":"v2","secure":true,"sas":"K7QX"}',
    ],
    [
      { event: 'connected', peer: 'bob', protocol: 'classic', secure: false, sas: null },
      '{"event":"connected","time":"2024-05-01T12:00:00.000Z","peer":"bob","protocol":"classic","secure":false,"sas":null}',
    ],
    [
      { event: 'stats', ...v2Stats() },
      '{"event":"stats","time":"2024-05-01T12:00:00.000Z","packetsSent":250,"packetsReceived":246,"packetsLost":4,"packetsDropped":3,"inputLevelDbfs":-12.35,"outputLevelDbfs":-20,"durationMs":5000,' +
        '"packetsRejected":2,"packetsReplayed":1,"packetsLate":1,"packetsConcealed":4,"jitterMs":3.1,"playoutDelayMs":40}',
    ],
    [
      { event: 'ended', peer: 'bob', reason: 'not-secure', direction: 'incoming', message: 'refused an unencrypted call from bob (--require-secure)', durationMs: 0 },
      '{"event":"ended","time":"2024-05-01T12:00:00.000Z","peer":"bob","reason":"not-secure","direction":"incoming","message":"refused an unencrypted call from bob (--require-secure)","durationMs":0}',
    ],
    [{ event: 'error', code: 'directory-lost', message: 'gone' }, '{"event":"error","time":"2024-05-01T12:00:00.000Z","code":"directory-lost","message":"gone"}'],
  ])('%j', (event, line) => {
    expect(formatEventLine(event, time)).toBe(`${line}\n`);
  });

  test('the final figures of an ended call carry the v2 fields too', () => {
    const line = JSON.parse(
      formatEventLine({ event: 'ended', peer: 'bob', reason: 'hangup', direction: 'outgoing', message: 'm', durationMs: 5000, stats: v2Stats({ jitterMs: 0.06 }) }, time),
    );
    expect(line.stats).toMatchObject({ packetsRejected: 2, packetsReplayed: 1, packetsLate: 1, packetsConcealed: 4, jitterMs: 0.1, playoutDelayMs: 40 });
  });

  test('extra fields of a user object are not leaked', () => {
    const user = { name: 'bob', ip: '127.0.0.1', port: 5002, secret: 1 };
    expect(JSON.parse(formatEventLine({ event: 'users', users: [user] }, time)).users).toEqual([{ name: 'bob', ip: '127.0.0.1', port: 5002 }]);
  });

  test('state and history are for the TUI only', () => {
    expect(isJsonEvent({ event: 'state', state: 'idle' })).toBe(false);
    expect(isJsonEvent({ event: 'history', entries: [] })).toBe(false);
    expect(isJsonEvent({ event: 'calling', peer: 'bob' })).toBe(true);
  });
});
