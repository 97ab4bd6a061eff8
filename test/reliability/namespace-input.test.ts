import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidNamespaceError, NamespaceRegistry } from '../../src/core/namespaces.js';
import type { LocalZureRuntime } from '../../src/runtime/runtime.js';
import { startStorageRuntime } from './support/runtime.js';

// An account's key signs every request to it: a key that is empty or not
// base64 would make an account no client can sign for, so it is refused
// when the account is created, not found out at the first request.

const BAD_KEYS = [
  ['an empty key', ''],
  ['a key that is not base64', 'not base64!'],
  ['base64 missing its padding', 'a2V5cw'],
  ['a number', 42],
] as const;

describe('creating an account over the control API', () => {
  let runtime: LocalZureRuntime;
  const create = async (body: unknown) => {
    const response = await fetch(`${runtime.controlUrl}/_localzure/namespaces`, { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    runtime = await startStorageRuntime(['blob']);
  });
  afterAll(() => runtime.stop());

  it.each(BAD_KEYS)('an account with %s is refused with 400 and not created', async (_, key) => {
    const answer = await create({ name: 'badkeyaccount', key });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('InvalidInput');
    expect(runtime.namespaces.has('badkeyaccount')).toBe(false);
  });

  it('an account without a key gets a random base64 one', async () => {
    const answer = await create({ name: 'randomkeyaccount' });
    expect(answer.status).toBe(200);
    expect(Buffer.from(answer.json.key, 'base64')).toHaveLength(64);
  });
});

describe('adding an account in code', () => {
  it.each(BAD_KEYS)('an account with %s is refused with InvalidNamespaceError', (_, key) => {
    const registry = new NamespaceRegistry();
    expect(() => registry.add({ name: 'badkeyaccount', key: key as string })).toThrow(InvalidNamespaceError);
    expect(registry.has('badkeyaccount')).toBe(false);
  });
});
