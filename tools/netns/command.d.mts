// Types of the lab's command runner (command.mjs).

/** A failed command run for the lab, with its stderr. */
export declare class NetnsError extends Error {
  readonly name: 'NetnsError';
  readonly code: 'netns-command-failed';
  /** The command and its arguments. */
  readonly command: readonly string[];
  readonly stderr: string;
}

/** Runs a command to completion with `input` on its stdin; resolves with its stdout, rejects with a {@link NetnsError}. */
export declare function sh(command: string, args: readonly string[], input?: string): Promise<string>;
