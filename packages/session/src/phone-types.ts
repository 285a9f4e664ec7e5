/** The types of the phone's public face: its options, call states, end reasons, figures and events. */
import type { DirectoryUser } from '@voip/protocol';
import type { Clock } from '@voip/clock';
import type { AudioSink, AudioSource } from '@voip/media';

/** Where a call stands, from this phone's side. */
export type CallState = 'idle' | 'dialing' | 'calling' | 'ringing' | 'in-call' | 'ended';

/** Why a call ended or never started. Stable codes for programs. */
export type EndReason =
  | 'hangup' // we hung up
  | 'remote-hangup' // the peer sent CLOSE
  | 'rejected' // the peer answered REJECT (a busy classic peer answers so too)
  | 'cancelled' // we gave up while calling, or the caller gave up while we rang
  | 'ring-timeout' // no answer within the ring timeout
  | 'peer-silent' // no audio from the peer within the silence timeout
  | 'not-found' // the directory knows no such name
  | 'self-call' // one cannot call oneself
  | 'directory-lost' // the directory connection dropped before the call was placed
  | 'not-secure' // `secure: 'require'` refused a classic call (placed or received)
  | 'error'; // a local failure (socket, audio device); `detail` says which

/** How a phone treats encryption (`PhoneOptions.secure`): 'prefer' v2 with v2 peers, 'require' refuses classic calls both ways, 'off' classic only. */
export type SecureMode = 'prefer' | 'require' | 'off';

/** Which form a call took: v2 (encrypted, with a SAS) or classic (as the seed's client, not encrypted). */
export type CallProtocol = 'v2' | 'classic';

/** Who placed a call: we ('outgoing') or the peer ('incoming'). */
export type CallDirection = 'outgoing' | 'incoming';

/** One directory server: `"host:port"`, `"host"` (port 10000), `"[v6]:port"` or `{ host, port? }`. */
export type DirectoryServerOption = string | { readonly host: string; readonly port?: number };

/** Options of {@link PhoneApi} creation (`Phone.connect`). */
export interface PhoneOptions {
  /** The directory: `"host:port"`, `"host"` (port 10000) or an object. Give this or `servers`. */
  readonly server?: DirectoryServerOption;
  /**
   * Several directory servers sharing one directory, each as `server` takes it: the
   * first that answers is used; when it is lost, the phone fails over to the next
   * (round robin) and registers there again. Give this or `server`.
   */
  readonly servers?: readonly DirectoryServerOption[];
  /** The name to register (PROTOCOL.md section 1 rules). */
  readonly name: string;
  /** UDP port to wait for calls on; default 5001. */
  readonly udpPort?: number;
  /** Address to bind the UDP socket to; default all interfaces. */
  readonly udpHost?: string;
  /**
   * Audio: a source/sink object, or a spec string understood by @voip/media
   * (`device[:NAME]`, `wav:PATH`, `tone[:HZ]`, `silence`; output also `null`).
   * Default: silence in, null out.
   */
  readonly audio?: { readonly input?: AudioSource | string; readonly output?: AudioSink | string };
  /** How long to ring before giving up; default 30 000 ms. */
  readonly ringTimeoutMs?: number;
  /** How long without audio from the peer before the call is ended; default 5 000 ms. */
  readonly silenceTimeoutMs?: number;
  /**
   * Secure calls: 'prefer' (default) uses v2, encrypted, with v2 peers and classic with
   * the others; 'require' refuses classic calls both ways (EndReason 'not-secure');
   * 'off' is classic only.
   */
  readonly secure?: SecureMode;
  /** Play a ring cadence on the audio output while an incoming call rings; default false. */
  readonly ringtone?: boolean;
  /** Injected time; default the real clock. */
  readonly clock?: Clock;
}

/**
 * Figures of a call, for a status line and the call's end: the same fields as
 * @voip/media's `MediaStats` (so a `CallMedia` reports them as is), with
 * `packetsDropped` also counting the call's datagrams the phone discarded and
 * `durationMs` counted from the moment the call connected.
 */
export interface CallStats {
  readonly packetsSent: number;
  readonly packetsReceived: number;
  /** Frames that never arrived and were replaced by silence. */
  readonly packetsLost: number;
  /** Datagrams discarded: wrong size, wrong sender, duplicates, late. */
  readonly packetsDropped: number;
  /** Level of the last frame sent, dBFS (-Infinity for silence). */
  readonly inputLevelDbfs: number;
  /** Level of the last frame played, dBFS. */
  readonly outputLevelDbfs: number;
  /** Whole milliseconds since the call connected. */
  readonly durationMs: number;
  /** Datagrams that failed authentication, were malformed, came from a third party, or (v2) were classic signal words. */
  readonly packetsRejected: number;
  /** Authentic datagrams already received or older than the replay window (a replay and a network duplicate alike). */
  readonly packetsReplayed: number;
  /** Authentic new media packets that came after their playout time (0 for classic media). */
  readonly packetsLate: number;
  /** Frames played by concealment. */
  readonly packetsConcealed: number;
  /** The RFC 3550 interarrival jitter estimate, ms (0 for classic media). */
  readonly jitterMs: number;
  /** The jitter buffer's current playout delay, ms (0 for classic media). */
  readonly playoutDelayMs: number;
}

/** How a call ended (the payload of the `ended` event). */
export interface CallEnd {
  readonly peer: string;
  readonly reason: EndReason;
  /** Who placed the call: we ('outgoing') or the peer ('incoming'). */
  readonly direction: CallDirection;
  /** How long the call was connected, ms; 0 when it never connected. */
  readonly durationMs: number;
  /** The call's final figures, when it connected. */
  readonly stats?: CallStats;
  /** Only what `reason` does not already say (a failure's cause, a timeout's length). */
  readonly detail?: string;
}

/** The events a phone emits, with their payloads. */
export interface PhoneEvents {
  /** Every change of call state. */
  state: [{ readonly state: CallState; readonly peer?: string }];
  /** Someone is calling: answer with accept() or reject(). */
  incoming: [{ readonly caller: string; readonly ip: string; readonly port: number }];
  /** We placed a call and are waiting for an answer. */
  calling: [{ readonly peer: string; readonly ip: string; readonly port: number }];
  /** Audio flows both ways: a v2 call (encrypted, with the SAS to compare aloud) or a classic one (not encrypted, `sas` null). */
  connected: [{ readonly peer: string; readonly protocol: CallProtocol; readonly secure: boolean; readonly sas: string | null }];
  /** The call ended, or a call attempt failed (a failed `call()` also rejects with a CallFailedError of the same reason). */
  ended: [CallEnd];
  /** The users online (pushed by WATCH when the server offers it). */
  users: [readonly DirectoryUser[]];
  /** Call figures, about once a second during a call. */
  stats: [CallStats];
  /** Human-readable log lines. */
  log: [{ readonly level: 'info' | 'warn' | 'error'; readonly message: string }];
  /**
   * The connection to the directory at `server` (`host:port`) was lost. Calls in
   * progress go on; new calls fail with `directory-lost` until `reconnected`.
   * `reconnecting`: the phone fails over to its next server (it was given several);
   * otherwise it stays without a directory.
   */
  disconnected: [{ readonly reason: string; readonly server: string; readonly reconnecting: boolean }];
  /** Registered again (same name, presence watched again) on the directory at `server` after `disconnected`: calls can be placed again. */
  reconnected: [{ readonly server: string }];
}

/** What a connected phone offers to an application. */
export interface PhoneApi {
  readonly name: string;
  readonly udpPort: number;
  readonly state: CallState;
  /** Whether the server is ours and offers the user list (a classic server does not). */
  readonly listSupported: boolean;
  /** `host:port` of the directory server in use (while failing over, the one lost last). */
  readonly server: string;
  /** The users online, as the directory last pushed them; undefined on a classic server. */
  readonly onlineUsers: readonly DirectoryUser[] | undefined;
  /**
   * Calls a user by name; resolves when the call connects, rejects with a
   * CallFailedError whose `reason` is an {@link EndReason}.
   */
  call(name: string): Promise<void>;
  /** Whether the microphone is muted (kept across calls). */
  readonly muted: boolean;
  /** Mutes or unmutes the microphone, now and for later calls. */
  setMuted(muted: boolean): void;
  /** Speaker volume in percent, 0-200 (kept across calls). */
  readonly volume: number;
  /** Sets the speaker volume, 0-200 percent, now and for later calls. */
  setVolume(percent: number): void;
  /** Accepts the ringing call. */
  accept(): void;
  /** Rejects the ringing call. */
  reject(): void;
  /** Ends the current call, or stops ringing out. No-op when idle. */
  hangup(): void;
  /** The users online, sorted by name; rejects with code 'list-unsupported' on a classic server. */
  users(): Promise<DirectoryUser[]>;
  /** Hangs up, unregisters (DISCONNECT), closes the sockets and audio. */
  close(): Promise<void>;
  on<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this;
  off<E extends keyof PhoneEvents>(event: E, listener: (...args: PhoneEvents[E]) => void): this;
}
