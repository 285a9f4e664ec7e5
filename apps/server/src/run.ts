/** The `voip-server` executable's body: parse the flags, open the storage, serve until stopped, and say how it ended. */
import { resolve } from 'node:path';
import { createMemoryRegistry, openSqliteRegistry, type Registry } from '@voip/registry';
import { parseServerArgs, USAGE, type ServerCliOptions } from './cli.js';
import { createDashboardStore } from './dashboard/dashboard-state.js';
import { ServerEvents } from './events.js';
import { formatLogLine } from './log-format.js';
import { openPostgresStorage, postgresServerId } from './postgres-storage.js';
import { ServerStartError, startDirectoryServer } from './server.js';
import { serverVersion } from './version.js';

/** Exit codes of `voip-server`, as the seed report numbers them. */
export const EXIT = Object.freeze({
  /** Stopped cleanly (signal, `q`, `--help` or `--version`). */
  ok: 0,
  /** Critical: bad command line, port in use, unusable database. */
  critical: 2,
  /** Unknown: an uncaught error, that is a bug. */
  bug: 3,
});

/** What the server talks to; the real process by default. */
export interface RunIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly stdinIsTTY: boolean;
  /** Where relative database paths are resolved. */
  readonly cwd: string;
  /** Subscribes to the signals that stop the server; returns the unsubscribe function. */
  onStopSignal(handler: (signal: string) => void): () => void;
}

const processIo: RunIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTTY: Boolean(process.stdin.isTTY),
  cwd: process.cwd(),
  onStopSignal(handler) {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

async function openRegistry(options: ServerCliOptions, io: RunIo): Promise<{ registry: Registry; label: string } | string> {
  if (options.storage.kind === 'memory') return { registry: createMemoryRegistry(), label: 'memory' };
  if (options.storage.kind === 'postgres') return openPostgresStorage(options.storage.url, options.serverId ?? postgresServerId(options.port));
  const path = resolve(io.cwd, options.storage.path);
  let registry: Registry;
  try {
    registry = await openSqliteRegistry({ database: path });
  } catch (error) {
    return `cannot use the database ${path}: ${(error as Error).message}. Check that its folder exists and is writable and that no other voip-server uses the file, or choose another with --db sqlite:PATH (or --db memory).`;
  }
  try {
    // Names belong to connections, and no connection outlives the process: entries left by
    // a run that crashed are stale.
    await registry.clear();
  } catch (error) {
    await registry.close().catch(() => {});
    return `cannot clear the database ${path}: ${(error as Error).message}. Choose another with --db.`;
  }
  return { registry, label: `sqlite:${path}` };
}

/**
 * Runs `voip-server` with the given arguments until it is stopped; resolves with the
 * exit code. Errors a user can fix are printed with what to do and give 2; anything
 * unexpected is thrown (the caller reports it as a bug, exit 3).
 */
export async function runServer(argv: readonly string[], io: RunIo = processIo): Promise<number> {
  const parsed = parseServerArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`voip-server: ${parsed.detail}\nRun voip-server --help for the options.\n`);
    return EXIT.critical;
  }
  if (parsed.value.kind === 'help') {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (parsed.value.kind === 'version') {
    io.stdout.write(`voip-server ${serverVersion()}\n`);
    return EXIT.ok;
  }
  const options = parsed.value.options;
  // Signals are taken from here on, so a stop asked while the server starts is honoured
  // once it has started (closed cleanly, exit 0), never lost to the default handler.
  let requestStop!: () => void;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  const unsubscribe = io.onStopSignal(() => requestStop());
  try {
    return await serve(options, io, stopRequested, requestStop);
  } finally {
    unsubscribe();
  }
}

/** Opens the storage, starts the server, and runs it until `stopRequested`. */
async function serve(options: ServerCliOptions, io: RunIo, stopRequested: Promise<void>, requestStop: () => void): Promise<number> {
  const opened = await openRegistry(options, io);
  if (typeof opened === 'string') {
    io.stderr.write(`voip-server: ${opened}\n`);
    return EXIT.critical;
  }
  const { registry, label } = opened;

  const useDashboard = options.tui && Boolean(io.stdout.isTTY);
  if (useDashboard && !io.stdinIsTTY) {
    io.stderr.write('voip-server: standard input is not a terminal, so the dashboard could not read keys; logging to stdout instead (use --no-tui to silence this).\n');
  }
  const dashboard = useDashboard && io.stdinIsTTY;
  let code: number = EXIT.ok;
  // A log reader that goes away (`voip-server | head`, a killed pager) makes stdout fail
  // with EPIPE: nothing more can be logged, so the server stops cleanly and says why.
  let stdoutFailed = false;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (stdoutFailed) return;
    stdoutFailed = true;
    io.stderr.write(
      `voip-server: standard output was closed (${error.code ?? error.message}), so the log cannot be written; stopping. Send the log to a file or keep its reader running.\n`,
    );
    code = EXIT.critical;
    requestStop();
  };
  io.stdout.on('error', onStdoutError);

  const events = new ServerEvents();
  const store = createDashboardStore();
  if (dashboard) events.on((event) => store.dispatch({ type: 'server-event', event }));
  else
    events.on((event) => {
      if (!stdoutFailed) io.stdout.write(`${formatLogLine(event, options.log)}\n`);
    });

  let server;
  try {
    server = await startDirectoryServer({
      host: options.host,
      port: options.port,
      registry,
      events,
      storageLabel: label,
      rateLimit: options.rateLimit,
      maxConnsPerIp: options.maxConnsPerIp,
      maxUnnamedPerIp: options.maxUnnamedPerIp,
      idleTimeoutMs: options.idleTimeoutSeconds * 1000,
      silenceLimitMs: options.silenceLimitSeconds * 1000,
      writeTimeoutMs: options.writeTimeoutSeconds * 1000,
    });
  } catch (error) {
    io.stdout.off('error', onStdoutError);
    await registry.close().catch(() => {});
    if (error instanceof ServerStartError) {
      io.stderr.write(`voip-server: ${error.message}\n`);
      return EXIT.critical;
    }
    throw error;
  }

  let mounted: { unmount(): void } | undefined;
  if (dashboard) {
    const { mountDashboard } = await import('./dashboard/mount-dashboard.js');
    mounted = mountDashboard(store, () => requestStop());
  }
  await stopRequested;
  await server.close();
  try {
    await registry.clear();
  } catch (error) {
    io.stderr.write(`voip-server: could not clear the directory on exit: ${(error as Error).message}\n`);
    code = EXIT.critical;
  }
  await registry.close();
  mounted?.unmount();
  io.stdout.off('error', onStdoutError);
  return code;
}
