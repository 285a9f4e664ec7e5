// Runs a command for the network-namespace lab to completion and turns its failure into a typed error.
import { spawn } from 'node:child_process';

/** A failed `ip` (or other) command run for the lab, with its stderr. */
export class NetnsError extends Error {
  name = 'NetnsError';
  code = 'netns-command-failed';
  constructor(message, command, stderr) {
    super(message);
    this.command = command;
    this.stderr = stderr;
  }
}

/** Runs a command to completion, `input` written to its stdin; resolves with its stdout. */
export function sh(command, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.stdin.on('error', () => {}); // a command that exits without reading its input
    child.stdin.end(input ?? '');
    const fail = (why) => reject(new NetnsError(`${command} ${args.join(' ')} failed: ${why}`, [command, ...args], stderr));
    child.once('error', (error) => fail(error.message));
    child.once('close', (code, signal) => (code === 0 ? resolve(stdout) : fail(stderr.trim() || `exit ${code ?? signal}`)));
  });
}
