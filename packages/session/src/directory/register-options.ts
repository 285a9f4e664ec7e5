/** What a REG announces besides the name and port: the client's directory version and, from v 2, its media capabilities (docs/protocol.md, "v2 entries"). */
import { CAPS_MIN_VERSION, decodeDirectoryCaps, type DirectoryCaps } from '@voip/protocol';

/** The directory version REG announces without {@link RegisterOptions}: the classic requests plus LIST, WATCH and `port`. */
const CLASSIC_CLIENT_VERSION = 1;

/** What a v2 client announces in REG besides its name and port (docs/protocol.md, "v2 entries"). */
export interface RegisterOptions {
  /** The directory version to announce: 2 (or later) for a v2 client. */
  readonly v: number;
  /** The media capabilities to announce, e.g. `DEFAULT_DIRECTORY_CAPS`; only with `v` 2 or later. */
  readonly caps?: DirectoryCaps;
}

/** The `v` and `caps` fields of a REG, checked, with caps in canonical form. */
export function announced(options: RegisterOptions | undefined): { v: number; caps?: DirectoryCaps } {
  if (options === undefined) return { v: CLASSIC_CLIENT_VERSION };
  const { v, caps } = options;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`v must be an integer from 1, got ${String(v)}`);
  if (caps === undefined) return { v };
  if (v < CAPS_MIN_VERSION) throw new RangeError(`caps need v ${CAPS_MIN_VERSION} or later, got v ${v}`);
  const decoded = decodeDirectoryCaps(caps);
  if (!decoded.ok) throw new RangeError(`caps are not valid: ${decoded.detail}`);
  return { v, caps: decoded.value };
}
