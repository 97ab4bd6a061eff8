import { LocalZureError } from './errors.js';

/**
 * Isolated namespaces that services partition their data by. For storage
 * services a namespace is an account: its name appears in the URL path and
 * its key signs requests.
 */
export interface Namespace {
  name: string;
  key: string;
  /** A storage account's second key (Azure gives every account two): requests signed with either verify. */
  secondaryKey?: string;
}

/** The Azure storage emulator's well-known development account. */
export const DEFAULT_ACCOUNT: Namespace = Object.freeze({
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
});

const NAME_RULE = /^[a-z0-9]{3,24}$/;
// Padded base64, as Azure shows account keys: whatever else would sign nothing a client can reproduce.
const KEY_RULE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Whether `key` can be a storage account key: non-empty, padded base64. */
export function isAccountKey(key: unknown): key is string {
  return typeof key === 'string' && key.length > 0 && KEY_RULE.test(key);
}

/** An account the registry cannot hold: a name Azure would refuse, or a key that is not base64. */
export class InvalidNamespaceError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_NAMESPACE', message);
  }
}

export class NamespaceRegistry {
  readonly #byName = new Map<string, Namespace>();

  constructor(initial: Namespace[] = [DEFAULT_ACCOUNT]) {
    for (const ns of initial) this.add(ns);
  }

  add(ns: Namespace): Namespace {
    if (!NAME_RULE.test(ns.name)) {
      throw new InvalidNamespaceError(`Invalid account name "${ns.name}": use 3 to 24 lowercase letters and digits.`);
    }
    if (!isAccountKey(ns.key)) {
      throw new InvalidNamespaceError(`Invalid key for account "${ns.name}": use a non-empty base64 key such as Azure shows for a storage account, or leave it out to get a random one.`);
    }
    if (ns.secondaryKey !== undefined && !isAccountKey(ns.secondaryKey)) {
      throw new InvalidNamespaceError(`Invalid secondary key for account "${ns.name}": use a non-empty base64 key such as Azure shows for a storage account, or leave it out.`);
    }
    const entry = Object.freeze(ns.secondaryKey === undefined ? { name: ns.name, key: ns.key } : { name: ns.name, key: ns.key, secondaryKey: ns.secondaryKey });
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
