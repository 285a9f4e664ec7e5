// Checks that a program the network-namespace lab runs (nft, tcpdump) is installed, and says how to install it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian package of each program the lab may need. */
const PACKAGES = { nft: 'nftables', tcpdump: 'tcpdump', ip: 'iproute2' };

/** A program the lab needs is not installed; `tool` and `aptPackage` name it. */
export class NetnsToolMissingError extends Error {
  name = 'NetnsToolMissingError';
  code = 'netns-tool-missing';
  constructor(tool, aptPackage) {
    super(`${tool} is not installed: run tools/install-test-deps.sh (it installs the Debian package ${aptPackage})`);
    this.tool = tool;
    this.aptPackage = aptPackage;
  }
}

/** Throws a {@link NetnsToolMissingError} unless `tool` is an executable in a directory of `path` (default PATH). */
export function requireTool(tool, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return;
    } catch {
      // Not in this directory.
    }
  }
  throw new NetnsToolMissingError(tool, PACKAGES[tool] ?? tool);
}
