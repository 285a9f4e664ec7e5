// Tests of the typed emitter.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { TypedListeners } from './typed-listeners.js';

interface Events {
  ping: [n: number];
}

describe('TypedListeners', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  test('calls listeners in order; removing one stops it', () => {
    const listeners = new TypedListeners<Events>();
    const heard: string[] = [];
    const a = (n: number): void => void heard.push(`a${n}`);
    listeners.add('ping', a);
    listeners.add('ping', (n) => heard.push(`b${n}`));
    listeners.emit('ping', 1);
    listeners.remove('ping', a);
    listeners.emit('ping', 2);
    expect(heard).toEqual(['a1', 'b1', 'b2']);
  });

  test('a listener that throws does not keep the others from hearing; its error surfaces asynchronously', async () => {
    const thrown: unknown[] = [];
    const realMicrotask = globalThis.queueMicrotask;
    vi.stubGlobal('queueMicrotask', (task: () => void) =>
      realMicrotask(() => {
        try {
          task();
        } catch (error) {
          thrown.push(error);
        }
      }),
    );
    const listeners = new TypedListeners<Events>();
    const heard: number[] = [];
    listeners.add('ping', () => {
      throw new Error('listener bug');
    });
    listeners.add('ping', (n) => heard.push(n));
    expect(() => listeners.emit('ping', 7)).not.toThrow();
    expect(heard).toEqual([7]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(thrown.map((e) => (e as Error).message)).toEqual(['listener bug']);
  });
});
