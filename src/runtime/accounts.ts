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
 * storage accounts. A second key is accepted for compatibility but not used:
 * requests must be signed with the first.
 *
 * @example
 * parseAzuriteAccounts('account1:a2V5MQ==;account2:a2V5Mg==');
 * // [{ name: 'account1', key: 'a2V5MQ==' }, { name: 'account2', key: 'a2V5Mg==' }]
 */
export function parseAzuriteAccounts(text: string): Namespace[] {
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [name = '', key = ''] = entry.split(':');
      if (name === '' || key === '') throw new InvalidAccountsError(`AZURITE_ACCOUNTS entry "${entry}" is not name:key; write accounts as "name1:key1;name2:key2".`);
      return { name, key };
    });
}

/** The extra accounts of a runtime: the `accounts` option, else those of `AZURITE_ACCOUNTS` in the environment. */
export function extraAccounts(accounts: Namespace[] | undefined, env: NodeJS.ProcessEnv = process.env): Namespace[] {
  if (accounts) return accounts;
  const fromEnv = env.AZURITE_ACCOUNTS;
  return fromEnv ? parseAzuriteAccounts(fromEnv) : [];
}
