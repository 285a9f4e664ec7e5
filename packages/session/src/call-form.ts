/** Which form a call to a looked-up peer takes: v2 when both sides are v2, classic otherwise, or refused when the phone requires secure calls. */
import type { DirectoryUser } from '@voip/protocol';
import type { SecureMode } from './phone-types.js';

export type { SecureMode } from './phone-types.js';

/** The directory's protocol version for a user: `v` once the directory reports it (v2 registry), else 1. */
export function peerVersion(user: DirectoryUser): number {
  const v = (user as { v?: unknown }).v;
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : 1;
}

/**
 * The form of a call to `user` (the directory's answer): 'v2' when we are v2 (secure is
 * not 'off') and the directory says the peer is v >= 2; 'not-secure' when we require
 * secure calls and the peer is classic; 'classic' otherwise, and whenever there is no
 * user to call (the classic machine reports not-found and look-up failures as always).
 */
export function callForm(secure: SecureMode, user: DirectoryUser | null | undefined): 'v2' | 'classic' | 'not-secure' {
  if (secure === 'off' || !user) return 'classic';
  if (peerVersion(user) >= 2) return 'v2';
  return secure === 'require' ? 'not-secure' : 'classic';
}
