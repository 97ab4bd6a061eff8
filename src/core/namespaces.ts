/**
 * Isolated namespaces that services partition their data by. For storage
 * services a namespace is an account: its name appears in the URL path and
 * its key signs requests.
 */
export interface Namespace {
  name: string;
  key: string;
}

/** The Azure storage emulator's well-known development account. */
export const DEFAULT_ACCOUNT: Namespace = Object.freeze({
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
});

const NAME_RULE = /^[a-z0-9]{3,24}$/;

export class NamespaceRegistry {
  readonly #byName = new Map<string, Namespace>();

  constructor(initial: Namespace[] = [DEFAULT_ACCOUNT]) {
    for (const ns of initial) this.add(ns);
  }

  add(ns: Namespace): Namespace {
    if (!NAME_RULE.test(ns.name)) {
      throw new RangeError(`Invalid account name "${ns.name}": use 3 to 24 lowercase letters and digits.`);
    }
    const entry = Object.freeze({ name: ns.name, key: ns.key });
    this.#byName.set(ns.name, entry);
    return entry;
  }

  get(name: string): Namespace | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  list(): Namespace[] {
    return [...this.#byName.values()];
  }
}
