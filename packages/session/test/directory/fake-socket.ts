/** Test support: an in-memory directory socket. */
import { EventEmitter } from 'node:events';
import type { DirectorySocket } from '../../src/directory/directory-client.js';

/** An in-memory socket: records writes, lets the test push bytes and close. */
export class FakeSocket extends EventEmitter implements DirectorySocket {
  readonly written: string[] = [];
  destroyed = false;
  constructor(public connecting: boolean) {
    super();
  }
  write(data: string): boolean {
    this.written.push(data);
    return true;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}
