import { LocalZureError } from '../core/errors.js';
import type { Namespace } from '../core/namespaces.js';

/** An `accounts` option or `AZURITE_ACCOUNTS` value that cannot be read. */
export class InvalidAccountsError extends LocalZureError {
  constructor(message: string) {
    super('LZ_INVALID_ACCOUNTS', message);
  }
}

/**
 * Azurite's `AZURITE_ACCOUNTS` format, `name1:key1[:key2];name2:key1`, as
 * storage accounts; a second key signs as well as the first. Keys are read
 * as Azurite reads them, with Node's base64 decoder (which also takes the
 * URL-safe alphabet and missing padding, as in Azurite's own `testing_key`),
 * and kept in Azure's padded form of the same bytes, so clients that sign
 * with the text as written verify.
 *
 * @example
 * parseAzuriteAccounts('account1:a2V5MQ==:a2V5Mg==;account2:a2V5Mw==');
 * // [{ name: 'account1', key: 'a2V5MQ==', secondaryKey: 'a2V5Mg==' }, { name: 'account2', key: 'a2V5Mw==' }]
 */
export function parseAzuriteAccounts(text: string): Namespace[] {
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [name = '', key = '', secondaryKey] = entry.split(':');
      if (name === '' || key === '') throw new InvalidAccountsError(`AZURITE_ACCOUNTS entry "${entry}" is not name:key; write accounts as "name1:key1;name2:key2".`);
      return secondaryKey ? { name, key: asAzuriteReadsIt(key), secondaryKey: asAzuriteReadsIt(secondaryKey) } : { name, key: asAzuriteReadsIt(key) };
    });
}

// Text of other characters is left as written, for the account registry to refuse with its own message.
function asAzuriteReadsIt(key: string): string {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(key) ? Buffer.from(key, 'base64').toString('base64') : key;
}

/** The extra accounts of a runtime: the `accounts` option, else those of `AZURITE_ACCOUNTS` in the environment. */
export function extraAccounts(accounts: Namespace[] | undefined, env: NodeJS.ProcessEnv = process.env): Namespace[] {
  if (accounts) return accounts;
  const fromEnv = env.AZURITE_ACCOUNTS;
  return fromEnv ? parseAzuriteAccounts(fromEnv) : [];
}
