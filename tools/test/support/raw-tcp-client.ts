// A bare TCP client for tests of the classic server double: writes exact bytes and
// reads what comes back, so tests can see replies, silence and closes as they are.
import net from 'node:net';

/** One test connection: everything received is kept, in order, with whether the server closed. */
export class RawTcpClient {
  received = '';
  closed = false;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.received += text;
      this.notify();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  /** Connects to 127.0.0.1:port, from `localAddress` when given (any 127.0.0.0/8 address). */
  static open(port: number, localAddress?: string): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawTcpClient(socket));
      });
    });
  }

  /** Writes text as one write (one TCP segment on loopback). */
  write(text: string | Buffer): void {
    this.socket.write(text);
  }

  /** Waits until `length` more bytes than `since` arrived; returns them. Rejects on close or after `timeoutMs`. */
  async read(length: number, timeoutMs = 2000): Promise<string> {
    const since = this.consumed;
    await this.until(() => this.received.length >= since + length, timeoutMs, `${length} bytes`);
    this.consumed = since + length;
    return this.received.slice(since, since + length);
  }

  /** Waits for `expected` to be the next bytes received (exactly those, nothing else). */
  async expectReply(expected: string, timeoutMs = 2000): Promise<void> {
    const got = await this.read(expected.length, timeoutMs);
    if (got !== expected) throw new Error(`expected reply ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
  }

  /** Resolves once the server has closed the connection; rejects after `timeoutMs`. */
  waitClosed(timeoutMs = 2000): Promise<void> {
    return this.until(() => this.closed, timeoutMs, 'the connection to close');
  }

  /** Waits `ms`, then says whether nothing more arrived and the connection is still open. */
  async silentFor(ms: number): Promise<boolean> {
    const before = this.received.length;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.length === before && !this.closed;
  }

  /** Closes our side. */
  destroy(): void {
    this.socket.destroy();
  }

  private consumed = 0;

  private until(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) {
          finish();
          resolve();
        } else if (this.closed) {
          finish();
          reject(new Error(`connection closed while waiting for ${what}; received ${JSON.stringify(this.received)}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${timeoutMs} ms; received ${JSON.stringify(this.received)}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
