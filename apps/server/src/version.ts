/** The version of `voip-server`, read from this package's `package.json`. */
import { readFileSync } from 'node:fs';

/**
 * The `version` field of `@voip/server`'s package.json (one folder above both `src/`
 * and `dist/`), so `--version` always says what was published.
 */
export function serverVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json of @voip/server has no version');
  return version;
}
