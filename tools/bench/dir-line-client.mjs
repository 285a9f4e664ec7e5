// One directory connection for the presence measures: writes requests, reads JSON lines,
// tells replies from pushes (`"event"`), and waits for either with a deadline.
import net from 'node:net';

/** Thrown when an awaited reply or push does not come in time. */
export class LineTimeoutError extends Error {
  name = 'LineTimeoutError';
}

export class DirectoryLineClient {
  /** Connects to 127.0.0.1:`port`, from the loopback address `source`. */
  static connect(port, source = '127.0.0.1', timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: source });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new LineTimeoutError(`no connection to port ${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new DirectoryLineClient(socket));
      });
    });
  }

  constructor(socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    this.buffered = '';
    this.replies = [];
    this.replyWaiters = [];
    /** Called with (users, receivedAtMs) for every presence push. */
    this.onPresence = () => {};
    this.closed = false;
    socket.on('data', (chunk) => this.receive(chunk, performance.now()));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const waiter of this.replyWaiters.splice(0)) waiter.fail(new Error('the connection closed'));
    });
  }

  receive(chunk, at) {
    this.buffered += chunk.toString('utf8');
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
      const message = JSON.parse(this.buffered.slice(0, nl));
      this.buffered = this.buffered.slice(nl + 1);
      if (message.event === 'presence') this.onPresence(message.users, at);
      else if (message.event === undefined) {
        const waiter = this.replyWaiters.shift();
        if (waiter) waiter.done(message);
        else this.replies.push(message);
      }
    }
  }

  /** Sends `request` and resolves with the next reply (not a push). */
  request(request, timeoutMs = 10_000) {
    this.socket.write(`${JSON.stringify(request)}\n`);
    if (this.replies.length > 0) return Promise.resolve(this.replies.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new LineTimeoutError(`no reply to ${request.command} within ${timeoutMs} ms`)), timeoutMs);
      this.replyWaiters.push({
        done: (message) => (clearTimeout(timer), resolve(message)),
        fail: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  /** REG `name`; throws unless the server registered it. */
  async register(name) {
    const reply = await this.request({ command: 'REG', name, port: 5001 });
    if (reply.ack !== 'Registered successfully') throw new Error(`REG ${name} refused: ${JSON.stringify(reply)}`);
  }

  /** WATCH; resolves with the users of its answer (itself a presence event); later pushes go to `onPush(users, receivedAtMs)`. */
  watch(onPush, timeoutMs = 10_000) {
    this.socket.write('{"command":"WATCH"}\n');
    return new Promise((resolve, reject) => {
      const later = onPush;
      const timer = setTimeout(() => {
        this.onPresence = later;
        reject(new LineTimeoutError(`no answer to WATCH within ${timeoutMs} ms`));
      }, timeoutMs);
      this.onPresence = (users) => {
        clearTimeout(timer);
        this.onPresence = later;
        resolve(users);
      };
    });
  }

  /** The names LIST shows now. */
  async listNames() {
    const reply = await this.request({ command: 'LIST' });
    if (!Array.isArray(reply.users)) throw new Error(`LIST answered ${JSON.stringify(reply)}`);
    return new Set(reply.users.map((u) => u.name));
  }

  close() {
    this.socket.destroy();
  }
}
