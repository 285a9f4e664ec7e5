/** A registry wrapper that a test can make fail, to check what the server answers when storage breaks. */
import { RegistryStorageError, type Registry } from '@voip/registry';

/** Wraps a registry so that a test can make its storage fail on demand. */
export function failingRegistry(inner: Registry): Registry & { failing: boolean } {
  const wrapper = {
    failing: false,
    check() {
      if (wrapper.failing) throw new RegistryStorageError('disk unplugged');
    },
    async register(entry: Parameters<Registry['register']>[0]) {
      wrapper.check();
      return inner.register(entry);
    },
    async lookup(name: string) {
      wrapper.check();
      return inner.lookup(name);
    },
    async list() {
      wrapper.check();
      return inner.list();
    },
    async removeByOwner(owner: string) {
      wrapper.check();
      return inner.removeByOwner(owner);
    },
    clear: () => inner.clear(),
    close: () => inner.close(),
  };
  return wrapper;
}
