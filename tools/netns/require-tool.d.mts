// Types of the lab's check for the programs it runs (require-tool.mjs).

/** A program the lab needs is not installed. */
export declare class NetnsToolMissingError extends Error {
  readonly name: 'NetnsToolMissingError';
  readonly code: 'netns-tool-missing';
  /** The program (`nft`, `tcpdump`). */
  readonly tool: string;
  /** The Debian package that has it. */
  readonly aptPackage: string;
}

/** Throws a {@link NetnsToolMissingError} unless `tool` is executable in a directory of `path` (default PATH). */
export declare function requireTool(tool: string, path?: string): void;
