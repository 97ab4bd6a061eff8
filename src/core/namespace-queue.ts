const settle = (): void => {};

/**
 * Runs work on namespaces one piece at a time per namespace: work on one
 * namespace waits for the work before it on that namespace, work on every
 * namespace (`undefined`) waits for all work before it and holds back all
 * work after it. Resets and seeding go through it, so two resets of one
 * account can never interleave their emptying and their seeding.
 */
export class NamespaceQueue {
  readonly #tails = new Map<string, Promise<void>>();
  #all: Promise<void> = Promise.resolve();

  run<T>(namespace: string | undefined, work: () => Promise<T>): Promise<T> {
    if (namespace === undefined) {
      const result = Promise.all([this.#all, ...this.#tails.values()]).then(work);
      // Everything queued so far is behind #all now; later work waits on it alone.
      this.#tails.clear();
      this.#all = result.then(settle, settle);
      return result;
    }
    const result = Promise.all([this.#all, this.#tails.get(namespace)]).then(work);
    const tail = result.then(settle, settle);
    this.#tails.set(namespace, tail);
    // Forget a namespace once its queue drains, so accounts that come and go leave nothing behind.
    void tail.then(() => {
      if (this.#tails.get(namespace) === tail) this.#tails.delete(namespace);
    });
    return result;
  }
}
