/**
 * A minimal store around the pure reducer, so that key handlers always read the
 * latest state (not the one of the last render) and React renders from it.
 */

/** A reducer's state held outside React. */
export interface Store<S, A> {
  getState(): S;
  dispatch(action: A): void;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/**
 * Creates a store over a pure reducer; `now` (ms since the epoch, the wall clock by
 * default) is read once per action and handed to the reducer.
 */
export function createStore<S, A>(reducer: (state: S, action: A, now: number) => S, initial: S, now: () => number = Date.now): Store<S, A> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(action) {
      const next = reducer(state, action, now());
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
