#!/usr/bin/env node
/** The entry point of `voip-server`: runs it, exits with its code, and reports anything unexpected as a bug (exit 3). */
import { EXIT, runServer } from './run.js';

function bug(error: unknown): never {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`voip-server: unexpected error; this is a bug, please report it with this text:\n${text}\n`);
  process.exit(EXIT.bug);
}

process.on('uncaughtException', bug);
process.on('unhandledRejection', bug);

runServer(process.argv.slice(2)).then((code) => process.exit(code), bug);
