import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, InvalidNamespaceError, NamespaceRegistry } from '../../src/index.js';

describe('NamespaceRegistry', () => {
  it('starts with the well-known development account', () => {
    const registry = new NamespaceRegistry();
    expect(registry.list()).toEqual([DEFAULT_ACCOUNT]);
    expect(registry.get('devstoreaccount1')?.key).toBe(DEFAULT_ACCOUNT.key);
  });

  it('adds an account that can then be looked up by name', () => {
    const registry = new NamespaceRegistry();
    registry.add({ name: 'worker2', key: 'a2V5' });
    expect(registry.has('worker2')).toBe(true);
    expect(registry.get('worker2')).toEqual({ name: 'worker2', key: 'a2V5' });
  });

  it('hands out frozen accounts, so a key cannot change under a running service', () => {
    const account = new NamespaceRegistry().add({ name: 'frozen1', key: 'a2V5' });
    expect(Object.isFrozen(account)).toBe(true);
  });

  it.each(['ab', 'UPPER', 'with-dash', 'x'.repeat(25), ''])('refuses the account name "%s"', (name) => {
    expect(() => new NamespaceRegistry().add({ name, key: 'a2V5' })).toThrow(InvalidNamespaceError);
  });

  it('knows nothing of an account never added', () => {
    expect(new NamespaceRegistry().get('nobody')).toBeUndefined();
  });
});
