// Types of call-phones.mjs: the directory server process and a pair of phones through the relay.
import type { Phone } from '@voip/session';

/** Our directory server in a child process. */
export declare function startDirectory(): Promise<{ port: number; close(): Promise<void> }>;
/** A caller and a callee of `protocol` through a relay with `profile`; the callee answers every call. */
export declare function openPhonePair(options: {
  directoryPort: number;
  protocol: 'classic' | 'v2';
  profile: string;
  seed: number;
  id: string | number;
  audio?: { caller?: object; callee?: object };
}): Promise<{ caller: Phone; callee: Phone; calleeName: string; close(): Promise<void> }>;
