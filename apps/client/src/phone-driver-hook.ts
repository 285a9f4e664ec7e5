/**
 * The phone driver under the TUI: one driver per connection, the previous one closed
 * (its UDP port freed) before the next connects, events handed to the reducer. The
 * slot is plain code; `usePhoneDriver` only keeps one slot per component.
 */
import { useState } from 'react';
import type { ConnectRequest } from './phone-contract.js';
import { createPhoneDriver, type PhoneDriver, type PhoneDriverDeps } from './phone-driver.js';

/** The driver of the current connection, replaced at each connect. */
export interface DriverSlot {
  /** The driver of the current connection, if any. */
  readonly current: PhoneDriver | undefined;
  /** Closes the current driver, then connects a new one; resolves whether it registered. */
  connect(request: ConnectRequest): Promise<boolean>;
  /** Closes the current driver; resolves once every driver released so far is closed. */
  release(): Promise<void>;
}

/** A slot whose drivers are made with `deps` (read at each connect, so they may change). */
export function createDriverSlot(deps: () => PhoneDriverDeps): DriverSlot {
  let current: PhoneDriver | undefined;
  let released: Promise<void> = Promise.resolve();
  const release = (): Promise<void> => {
    const closing = current?.close() ?? Promise.resolve();
    current = undefined;
    const previous = released;
    released = Promise.all([previous, closing.catch(() => undefined)]).then(() => undefined);
    return Promise.all([previous, closing]).then(() => undefined);
  };
  return {
    get current() {
      return current;
    },
    async connect(request) {
      // The previous phone frees its UDP port first; a release meanwhile cancels this connect.
      const previous = release().catch(() => undefined);
      const driver = createPhoneDriver(deps());
      current = driver;
      await previous;
      if (current !== driver) return false;
      return driver.connect(request);
    },
    release,
  };
}

/** The component's driver slot; `deps` is read at each connect. */
export function usePhoneDriver(deps: () => PhoneDriverDeps): DriverSlot {
  const [slot] = useState(() => createDriverSlot(deps));
  return slot;
}
