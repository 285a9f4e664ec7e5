/** Starts the headless runner on a fake phone, a manual clock and collected output. */
import { parseCli, type CliOptions } from '../../src/cli-args.js';
import { startHeadless, type HeadlessRun } from '../../src/headless-runner.js';
import { createManualClock } from '@voip/clock';
import { Collect, FakePhone, fakeCallFailure, fakeConnect } from './fake-phone.js';

/** The options of `voip-client --no-tui` for alice, plus `extra` flags. */
export function options(extra: string[] = []): CliOptions {
  const parsed = parseCli(['--server', '127.0.0.1:10000', '--name', 'alice', '--no-tui', '--audio-in', 'silence', '--audio-out', 'null', ...extra]);
  if (parsed.kind !== 'run') throw new Error(JSON.stringify(parsed));
  return parsed.options;
}

/** Runs the headless client on `phone`. */
export function start(phone: FakePhone, extra: string[] = []) {
  const stdout = new Collect();
  const stderr = new Collect();
  const scheduler = createManualClock();
  const connect = fakeConnect(phone);
  const run: HeadlessRun = startHeadless({
    options: options(extra),
    connect,
    callFailure: fakeCallFailure,
    stdout,
    stderr,
    scheduler,
    wallTime: () => new Date('2024-05-01T12:00:00.000Z'),
  });
  const names = () => stdout.events().map((e) => e.event);
  return { run, stdout, stderr, scheduler, connect, names };
}

/** A `call()` that connects. */
export const connectedCall = () => Promise.resolve();
