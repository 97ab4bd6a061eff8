/**
 * A seed loader that reads the seed once and applies that one reading to
 * every account, at start, to each new account and after every reset: a
 * large seed costs its bytes once, not once per worker account and reset.
 * `apply` must treat what `read` returned as immutable, since all accounts
 * share it. A failed reading is not kept, so fixing the seed and trying
 * again reads it anew.
 */
export function sharedSeedLoader<Seed>(read: () => Promise<Seed>, apply: (account: string, seed: Seed) => void): (account: string) => Promise<void> {
  let reading: Promise<Seed> | undefined;
  return async (account) => {
    reading ??= read().catch((error: unknown) => {
      reading = undefined;
      throw error;
    });
    apply(account, await reading);
  };
}
