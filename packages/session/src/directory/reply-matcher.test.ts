// Tests of pairing directory replies with requests.
import { describe, expect, test } from 'vitest';
import type { DecodedReply } from '@voip/protocol';
import { matchReply, type RequestCommand, type ReplyVerdict } from './reply-matcher.js';

const registered: DecodedReply = { kind: 'ack', ack: 'Registered successfully' };
const taken: DecodedReply = { kind: 'ack', ack: 'Error Registering', reason: 'name taken' };
const refusedBare: DecodedReply = { kind: 'ack', ack: 'Error Registering' };
const serverFailed: DecodedReply = { kind: 'ack', ack: 'Error' };
const notRegistered: DecodedReply = { kind: 'ack', ack: 'Error', reason: 'register first' };
const unknownCommand: DecodedReply = { kind: 'ack', ack: 'Error', reason: 'unknown command' };
const disconnected: DecodedReply = { kind: 'ack', ack: 'Disconnected' };
const address: DecodedReply = { kind: 'address', user: { name: 'bob', ip: '127.0.0.1', port: 5001 } };
const nobody: DecodedReply = { kind: 'address', user: null };
const users: DecodedReply = { kind: 'users', users: [] };
const presence: DecodedReply = { kind: 'presence', users: [] };
const pong: DecodedReply = { kind: 'ack', ack: 'PONG' };

describe('matchReply', () => {
  test.each<[RequestCommand | undefined, DecodedReply, ReplyVerdict['kind'], string?]>([
    ['REG', registered, 'answer'],
    ['REG', taken, 'refused', 'name-refused'],
    ['REG', refusedBare, 'refused', 'name-refused'],
    ['REG', serverFailed, 'refused', 'server-error'],
    ['REG', disconnected, 'discard'],
    ['REG', address, 'discard'],
    ['REG', users, 'discard'],
    ['REG', presence, 'push'],
    ['GET', address, 'answer'],
    ['GET', nobody, 'answer'],
    ['GET', notRegistered, 'refused', 'server-error'],
    ['GET', registered, 'discard'],
    ['GET', serverFailed, 'discard'],
    ['GET', users, 'discard'],
    ['GET', presence, 'push'],
    ['LIST', users, 'answer'],
    ['LIST', registered, 'unsupported'],
    ['LIST', address, 'unsupported'],
    ['LIST', nobody, 'unsupported'],
    ['LIST', serverFailed, 'unsupported'],
    ['LIST', unknownCommand, 'unsupported'],
    ['LIST', notRegistered, 'refused', 'server-error'],
    ['LIST', presence, 'push'],
    ['WATCH', presence, 'answer'],
    ['WATCH', registered, 'unsupported'],
    ['WATCH', address, 'unsupported'],
    ['WATCH', users, 'unsupported'],
    ['WATCH', unknownCommand, 'unsupported'],
    ['WATCH', notRegistered, 'refused', 'server-error'],
    ['DISCONNECT', disconnected, 'answer'],
    ['DISCONNECT', registered, 'discard'],
    ['DISCONNECT', notRegistered, 'refused', 'server-error'],
    ['DISCONNECT', serverFailed, 'discard'],
    ['DISCONNECT', address, 'discard'],
    ['DISCONNECT', presence, 'push'],
    ['PING', pong, 'answer'],
    ['PING', unknownCommand, 'unsupported'],
    ['PING', registered, 'unsupported'],
    ['PING', presence, 'push'],
    ['REG', pong, 'discard'],
    [undefined, registered, 'discard'],
    [undefined, address, 'discard'],
    [undefined, presence, 'push'],
  ])('%s + %j -> %s %s', (command, reply, kind, code) => {
    const verdict = matchReply(command, reply);
    expect(verdict.kind).toBe(kind);
    if (code !== undefined) expect(verdict).toMatchObject({ code });
  });

  test.each([
    ['DISCONNECT', registered, 'answer'],
    ['DISCONNECT', address, 'answer'],
    ['DISCONNECT', serverFailed, 'answer'],
    ['DISCONNECT', presence, 'push'],
    ['GET', registered, 'discard'],
    ['LIST', registered, 'unsupported'],
  ] as const)('on a classic server, %s + %j -> %s (DISCONNECT is answered with the previous reply again)', (command, reply, kind) => {
    expect(matchReply(command, reply, 'classic').kind).toBe(kind);
  });

  test('a refusal carries the server reason', () => {
    expect(matchReply('REG', taken)).toEqual({ kind: 'refused', code: 'name-refused', reason: 'name taken' });
    expect(matchReply('REG', refusedBare)).toEqual({ kind: 'refused', code: 'name-refused' });
  });
});
