/**
 * A test double of the classic client, written from PROTOCOL.md section 2 and the seed
 * report only: it talks to the directory the way the reference did (bare
 * `JSON.stringify` with no newline, one reply per TCP `data` event, as `recv(1024)`)
 * and calls like the reference (ASCII `START <name>`, `ACCEPT` x10 in one burst,
 * `REJECT`, several `CLOSE`; raw 1024-byte PCM every 64 ms, no header).
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { LOOPBACK } from './ports.js';

/** 512 samples of s16le mono at 8 kHz: the reference's pyaudio chunk. */
export const CLASSIC_FRAME_SAMPLES = 512;
/** Bytes of one classic audio datagram. */
export const CLASSIC_FRAME_BYTES = 1024;
/** Milliseconds of audio in one datagram. */
export const CLASSIC_FRAME_MS = 64;

/** Options of {@link ClassicClient.start}. */
export interface ClassicClientOptions {
  readonly name: string;
  readonly serverPort: number;
  /** The UDP port the double listens and sends on (registered with REG's `port`). */
  readonly udpPort: number;
  /** The audio the double sends once a call connects; silence follows it. */
  readonly signal?: Int16Array;
}

/** A datagram the double received. */
export interface Received {
  readonly bytes: Buffer;
  readonly from: RemoteInfo;
}

/** A failed step of the double, with a stable code. */
export class ClassicClientError extends Error {
  override readonly name = 'ClassicClientError';
  constructor(
    readonly code: 'tcp-closed' | 'bad-reply' | 'timeout' | 'not-found',
    message: string,
  ) {
    super(message);
  }
}

/** The classic client double. */
export class ClassicClient {
  /** Audio datagrams (exactly 1024 bytes) received from the peer during calls. */
  readonly audio: Buffer[] = [];
  /** Audio datagrams from anyone but the peer, or outside a call. */
  readonly strayAudio: Buffer[] = [];
  /** ASCII signals received, in order (repeats included), with `performance.now()` arrival times. */
  readonly signals: Array<{ text: string; from: RemoteInfo; at: number }> = [];
  /** Audio datagrams sent. */
  audioSent = 0;
  /** The peer of the current call, once START/ACCEPT made one. */
  peer: { address: string; port: number } | null = null;

  private readonly pendingReplies: Array<(chunk: Buffer | null) => void> = [];
  private readonly signalWaiters = new Set<() => void>();
  private audioTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly options: ClassicClientOptions,
    private readonly tcp: TcpSocket,
    private readonly udp: UdpSocket,
  ) {
    // The reference's recv(1024): each data event is taken as one whole reply.
    tcp.on('data', (chunk) => this.pendingReplies.shift()?.(chunk));
    tcp.on('close', () => {
      for (const waiter of this.pendingReplies.splice(0)) waiter(null);
    });
    tcp.on('error', () => {});
    udp.on('message', (bytes, from) => this.onDatagram(bytes, from));
  }

  /** Binds UDP on 127.0.0.1:udpPort, connects to the directory and registers. */
  static async start(options: ClassicClientOptions): Promise<ClassicClient> {
    const udp = createSocket({ type: 'udp4' });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(options.udpPort, LOOPBACK, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const tcp = await new Promise<TcpSocket>((resolve, reject) => {
      const s = connect(options.serverPort, LOOPBACK, () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    const client = new ClassicClient(options, tcp, udp);
    // The report's diagrams spell the key "cmd"; PROTOCOL.md accepts it as an alias.
    // The `port` extension tells the directory which UDP port this double uses.
    const reply = await client.request({ cmd: 'REG', name: options.name, port: options.udpPort });
    if (reply.ack !== 'Registered successfully') {
      await client.close();
      throw new ClassicClientError('bad-reply', `REG refused: ${JSON.stringify(reply)}`);
    }
    return client;
  }

  /** Sends one request as bare JSON (no newline) and reads the next `data` event as its reply. */
  request(message: Record<string, unknown>, timeoutMs = 5000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.pendingReplies.indexOf(onReply);
        if (i >= 0) this.pendingReplies.splice(i, 1);
        reject(new ClassicClientError('timeout', `no reply to ${JSON.stringify(message)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReply = (chunk: Buffer | null): void => {
        clearTimeout(timer);
        if (chunk === null) return reject(new ClassicClientError('tcp-closed', `directory closed before replying to ${JSON.stringify(message)}`));
        try {
          resolve(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        } catch {
          reject(new ClassicClientError('bad-reply', `reply is not one JSON object: ${JSON.stringify(chunk.toString('utf8'))}`));
        }
      };
      this.pendingReplies.push(onReply);
      this.tcp.write(JSON.stringify(message));
    });
  }

  /** GET: the peer's address as the directory gives it (port 5001 when it gives none). */
  async lookup(name: string): Promise<{ address: string; port: number }> {
    const reply = await this.request({ command: 'GET', name });
    if (typeof reply.ip !== 'string' || reply.ip === 'None') throw new ClassicClientError('not-found', `GET ${name}: ${JSON.stringify(reply)}`);
    return { address: reply.ip, port: typeof reply.port === 'number' ? reply.port : 5001 };
  }

  /**
   * Calls `name`: GET, one `START <own name>` (the reference sends it once), then
   * waits for ACCEPT or REJECT.
   */
  async call(name: string, timeoutMs = 10_000): Promise<'ACCEPT' | 'REJECT'> {
    return (await this.callTimed(name, timeoutMs)).answer;
  }

  /** {@link call}, also giving the milliseconds from START to the answer. */
  async callTimed(name: string, timeoutMs = 10_000): Promise<{ answer: 'ACCEPT' | 'REJECT'; elapsedMs: number }> {
    const target = await this.lookup(name);
    const since = this.signals.length;
    const sentAt = performance.now();
    this.sendText(`START ${this.options.name}`, target);
    const answer = await this.waitForSignal((t) => t === 'ACCEPT' || t === 'REJECT', timeoutMs, since);
    if (answer.text === 'ACCEPT') this.beginCall(target);
    return { answer: answer.text as 'ACCEPT' | 'REJECT', elapsedMs: answer.at - sentAt };
  }

  /** Arrival times (ms, `performance.now()`) of each signal `text` received from index `since`. */
  arrivals(text: string, since = 0): number[] {
    return this.signals
      .slice(since)
      .filter((s) => s.text === text)
      .map((s) => s.at);
  }

  /** Waits for a `START <caller>` and returns the caller's name and address. */
  async waitForStart(timeoutMs = 10_000, since = 0): Promise<{ caller: string; from: RemoteInfo }> {
    const start = await this.waitForSignal((t) => t.startsWith('START '), timeoutMs, since);
    return { caller: start.text.slice('START '.length), from: start.from };
  }

  /** Answers a START like the reference: GET the caller, ten ACCEPTs in one burst, audio. */
  async accept(caller: string, from: RemoteInfo): Promise<void> {
    const looked = await this.lookup(caller);
    const target = { address: looked.address, port: from.port };
    for (let i = 0; i < 10; i++) this.sendText('ACCEPT', target);
    this.beginCall(target);
  }

  /** Answers a START with one REJECT. */
  reject(from: RemoteInfo): void {
    this.sendText('REJECT', { address: from.address, port: from.port });
  }

  /** Hangs up like the reference: stops audio and sends CLOSE several times. */
  hangup(): void {
    const peer = this.peer;
    this.stopAudio();
    if (peer) for (let i = 0; i < 5; i++) this.sendText('CLOSE', peer);
  }

  /** Index to pass as `since` to wait only for signals received from now on. */
  mark(): number {
    return this.signals.length;
  }

  /** Waits for the peer's CLOSE (received from index `since` on); stops sending audio. */
  async waitForClose(timeoutMs = 10_000, since = 0): Promise<void> {
    await this.waitForSignal((t) => t === 'CLOSE', timeoutMs, since);
    this.stopAudio();
  }

  /** All received call audio as samples, in arrival order. */
  receivedSamples(): Int16Array {
    const all = Buffer.concat(this.audio);
    const out = new Int16Array(all.length >> 1);
    for (let i = 0; i < out.length; i++) out[i] = all.readInt16LE(i * 2);
    return out;
  }

  /** Stops audio, DISCONNECTs, closes both sockets. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopAudio();
    if (!this.tcp.destroyed) {
      try {
        await this.request({ command: 'DISCONNECT', name: this.options.name }, 2000);
      } catch {
        // The directory may be gone already; closing is all that is left to do.
      }
      this.tcp.destroy();
    }
    await new Promise<void>((resolve) => this.udp.close(() => resolve()));
  }

  private beginCall(peer: { address: string; port: number }): void {
    this.peer = peer;
    const signal = this.options.signal ?? new Int16Array(0);
    const startedAt = performance.now();
    let frame = 0;
    // Deadlines from the frame index, so the 64 ms pace does not drift.
    const tick = (): void => {
      if (this.peer === null) return;
      const samples = new Int16Array(CLASSIC_FRAME_SAMPLES);
      samples.set(signal.subarray(frame * CLASSIC_FRAME_SAMPLES, (frame + 1) * CLASSIC_FRAME_SAMPLES));
      const bytes = Buffer.alloc(CLASSIC_FRAME_BYTES);
      for (let i = 0; i < samples.length; i++) bytes.writeInt16LE(samples[i]!, i * 2);
      this.udp.send(bytes, this.peer.port, this.peer.address);
      this.audioSent++;
      frame++;
      const next = startedAt + frame * CLASSIC_FRAME_MS - performance.now();
      this.audioTimer = setTimeout(tick, Math.max(0, next));
    };
    tick();
  }

  private stopAudio(): void {
    if (this.audioTimer) clearTimeout(this.audioTimer);
    this.audioTimer = null;
    this.peer = null;
  }

  private sendText(text: string, to: { address: string; port: number }): void {
    this.udp.send(Buffer.from(text, 'ascii'), to.port, to.address);
  }

  private onDatagram(bytes: Buffer, from: RemoteInfo): void {
    if (bytes.length === CLASSIC_FRAME_BYTES) {
      const fromPeer = this.peer !== null && from.address === this.peer.address && from.port === this.peer.port;
      (fromPeer ? this.audio : this.strayAudio).push(bytes);
      return;
    }
    this.signals.push({ text: bytes.toString('ascii'), from, at: performance.now() });
    for (const waiter of [...this.signalWaiters]) waiter();
  }

  private waitForSignal(match: (text: string) => boolean, timeoutMs: number, since = 0): Promise<{ text: string; from: RemoteInfo; at: number }> {
    return new Promise((resolve, reject) => {
      let scanned = since;
      const check = (): void => {
        for (; scanned < this.signals.length; scanned++) {
          const s = this.signals[scanned]!;
          if (match(s.text)) {
            done();
            resolve(s);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.signals.map((s) => s.text).join(', ') || 'none';
        reject(new ClassicClientError('timeout', `no matching signal within ${timeoutMs} ms (signals seen: ${seen})`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.signalWaiters.delete(check);
      };
      this.signalWaiters.add(check);
      check();
    });
  }
}
