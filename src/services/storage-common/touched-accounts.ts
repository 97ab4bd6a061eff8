import type { RequestListener } from 'node:http';

/**
 * Which accounts requests reached since their last reset. A per-test reset
 * of an account nothing touched has nothing to empty and nothing to
 * re-seed: it still holds exactly its seed, so the reset and the seed that
 * follows it are skipped (seeding writes to the store, not through here, so
 * a freshly seeded account counts as untouched).
 */
export class TouchedAccounts {
  readonly #touched = new Set<string>();
  // Accounts whose reset was skipped, so the seed right after it is too.
  readonly #pristine = new Set<string>();

  /** Wraps `listener` to mark the account in each request's path (`/<account>/...`), whatever the request does. */
  watch(listener: RequestListener): RequestListener {
    return (req, res) => {
      this.mark(accountOf(req.url ?? '/'));
      listener(req, res);
    };
  }

  /** Marks an account changed by other means than a request, e.g. a restored snapshot. */
  mark(account: string): void {
    this.#touched.add(account);
  }

  /** Whether a reset of `account` (every account when undefined) has anything to do; records a skip for `skipSeed`. */
  needsReset(account: string | undefined): boolean {
    if (account === undefined) {
      this.#touched.clear();
      this.#pristine.clear();
      return true;
    }
    if (this.#touched.delete(account)) return true;
    this.#pristine.add(account);
    return false;
  }

  /** True once after a skipped reset of `account`: its seed is still in place. */
  skipSeed(account: string | undefined): boolean {
    return account !== undefined && this.#pristine.delete(account);
  }
}

// The account exactly as the dispatcher reads it: the first path segment, percent-decoded.
function accountOf(url: string): string {
  const q = url.indexOf('?');
  const segment = (q === -1 ? url : url.slice(0, q)).split('/', 2)[1] ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
