import { describe, expect, it } from 'vitest';
import { clientArgs, parseListeningPort } from './voip.js';

describe('parseListeningPort', () => {
  it.each([
    ['{"level":"info","message":"listening","port":40123}', 40123],
    ['{"msg":"listening","address":{"host":"0.0.0.0","port":40124}}', 40124],
    ['{"message":"listening on 0.0.0.0:40125"}', 40125],
    ['listening on port 40126', 40126],
    ['{"message":"registered alice","port":5001}', null],
    ['starting', null],
  ])('%s -> %s', (line, port) => {
    expect(parseListeningPort(line)).toBe(port);
  });
});

describe('clientArgs', () => {
  it('maps options to the CLI flags', () => {
    expect(
      clientArgs({ name: 'a b', server: '127.0.0.1:1', udpPort: 2, autoAnswer: true, call: 'c', hangupAfterS: 3, exitAfterCall: true, ringTimeoutS: 4, silenceTimeoutS: 5 }),
    ).toEqual([
      '--no-tui',
      '--server',
      '127.0.0.1:1',
      '--name',
      'a b',
      '--udp-port',
      '2',
      '--audio-in',
      'silence',
      '--audio-out',
      'null',
      '--auto-answer',
      '--call',
      'c',
      '--hangup-after',
      '3',
      '--exit-after-call',
      '--ring-timeout',
      '4',
      '--silence-timeout',
      '5',
    ]);
  });
});
