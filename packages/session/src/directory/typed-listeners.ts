/** One small emitter, reused by the directory client and the phone: listener lists keyed by event name, typed by an event map. */
type AnyListener = (...args: any[]) => void;

/** Listener lists keyed by event name, with payload types from an event map. */
export class TypedListeners<Events extends Record<keyof Events, unknown[]>> {
  readonly #listeners = new Map<keyof Events, AnyListener[]>();

  /** Adds a listener. */
  add<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): void {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
  }

  /** Removes one registration of a listener; does nothing if it is not registered. */
  remove<E extends keyof Events>(event: E, listener: (...args: Events[E]) => void): void {
    const list = this.#listeners.get(event);
    const index = list ? list.indexOf(listener) : -1;
    if (list && index >= 0) list.splice(index, 1);
  }

  /**
   * Calls every listener of an event, in the order they were added. A listener that
   * throws keeps neither the others from hearing the event nor the emitter from going
   * on: its error is rethrown asynchronously (as an uncaught error, like an
   * EventEmitter listener's would surface).
   */
  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
