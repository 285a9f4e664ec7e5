#!/usr/bin/env node
/**
 * `voip-client`: wires the command line to the terminal UI or the headless runner.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { listAudioDevices } from '@voip/media';
import { checkAudioDevices } from './audio-check.js';
import { checkWavFiles } from './wav-check.js';
import { USAGE, helpText, parseCli, type CliOptions } from './cli-args.js';
import { EXIT, describeBug } from './exit-codes.js';
import { startHeadless } from './headless-runner.js';
import { fileHistory, historyPath, type CallHistory } from './history.js';
import { formatEventLine } from './json-events.js';
import { connectPhone, describeCallError } from './phone-adapter.js';
import { diagnosticsOut, fdTerminal, fdTextOut, isolatedOutputFd, runIsolated, usesDeviceAudio, watchParent } from './output-isolation.js';

/** Runs the client with the arguments after the script name; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  if (parsed.kind === 'version') {
    process.stdout.write(`voip-client ${version()}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`voip-client: ${parsed.message}\n\n${USAGE}`);
    return EXIT.critical;
  }
  const options = parsed.options;
  if (options.tui && !process.stdin.isTTY) {
    process.stderr.write('voip-client: the terminal UI needs a terminal on stdin; for scripts use --no-tui\n');
    return EXIT.critical;
  }
  const outputFd = isolatedOutputFd();
  if (outputFd === undefined && usesDeviceAudio(options)) return runIsolated(process.argv[1]!, argv, options.tui);
  if (outputFd !== undefined) watchParent();
  const out = outputFd === undefined ? process.stdout : fdTextOut(outputFd);
  const wavs = await checkWavFiles(options.audioIn, options.audioOut);
  const audio = wavs.ok ? await checkAudioDevices(options.audioIn, options.audioOut, listAudioDevices) : wavs;
  if (!audio.ok) {
    if (!options.tui) out.write(formatEventLine({ event: 'error', code: audio.code, message: audio.detail }, new Date()));
    diagnosticsOut().write(`voip-client: ${audio.detail}\n`);
    return EXIT.critical;
  }
  const history = options.history ? fileHistory(historyPath()) : undefined;
  if (!options.tui) return runHeadless(options, out, history);
  const { runTui } = await import('./tui.js');
  const terminal = outputFd === undefined ? undefined : fdTerminal(outputFd);
  return runTui(options, { connect: connectPhone, callFailure: describeCallError, ...(history ? { history } : {}), ...(terminal ? { stdout: terminal } : {}) });
}

/** The version of this package (its package.json sits beside dist/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}

async function runHeadless(options: CliOptions, stdout: { write(text: string): boolean }, history: CallHistory | undefined): Promise<number> {
  const run = startHeadless({ options, connect: connectPhone, callFailure: describeCallError, stdout, stderr: diagnosticsOut(), ...(history ? { history } : {}) });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => run.command(line));
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      diagnosticsOut().write(`voip-client: ${signal} again: exiting without waiting\n`);
      process.exit(EXIT.critical);
    }
    signalled = true;
    run.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run.exitCode;
  } finally {
    lines.close();
    process.stdin.pause();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const bug = (error: unknown): void => {
  diagnosticsOut().write(`voip-client: ${describeBug(error)}\n`);
  process.exit(EXIT.bug);
};

process.on('uncaughtException', bug);
process.on('unhandledRejection', bug);
main(process.argv.slice(2)).then((code) => process.exit(code), bug);
