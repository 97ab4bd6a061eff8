import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ControlClient,
  ControlRequestError,
  NotSetUpError,
  resetLocalZure,
  withLocalZure,
  workerAccount,
  workerEnvironment,
  currentWorkerId,
  type Environment,
  type LocalZureHarness,
} from '../../src/index.js';
import { caught } from '../support/test-service.js';
import { KV_SEED, PLUGIN_PROJECT, kvEntries, kvPut, quietLogger } from './support.js';

const BASE = { name: 'devstoreaccount1', key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' };

describe('workerAccount', () => {
  it('appends the worker id to the base account name', () => {
    expect(workerAccount(BASE, '3').name).toBe('devstoreaccount1w3');
  });

  it('shortens a long base name to keep Azure\'s 24-character limit', () => {
    const { name } = workerAccount({ name: 'a'.repeat(24), key: BASE.key }, '12');
    expect(name).toBe(`${'a'.repeat(21)}w12`);
    expect(name).toMatch(/^[a-z0-9]{3,24}$/);
  });

  it('derives the same key for the same worker, and another for another worker', () => {
    const one = workerAccount(BASE, '1');
    expect(workerAccount(BASE, '1').key).toBe(one.key);
    expect(workerAccount(BASE, '2').key).not.toBe(one.key);
    expect(one.key).not.toBe(BASE.key);
    expect(Buffer.from(one.key, 'base64')).toHaveLength(64);
  });
});

describe('currentWorkerId', () => {
  it('prefers vitest\'s pool slot, then jest\'s worker id', () => {
    expect(currentWorkerId({ VITEST_POOL_ID: '2', VITEST_WORKER_ID: '7' })).toBe('2');
    expect(currentWorkerId({ JEST_WORKER_ID: '4' })).toBe('4');
    expect(currentWorkerId({})).toBeUndefined();
  });
});

describe('a worker on shared emulators', () => {
  let lz: LocalZureHarness;
  let base: Environment;
  beforeEach(async () => {
    lz = withLocalZure(['kv'], { cwd: PLUGIN_PROJECT, logger: quietLogger, seed: KV_SEED });
    base = await lz.setup();
  });
  afterEach(() => lz.teardown());

  async function joined(workerId: string): Promise<Environment> {
    const env = workerEnvironment(base, workerId);
    await new ControlClient(env.controlUrl).registerNamespace(env.account);
    return env;
  }

  it('sees its own account in its endpoints, connection string and env', () => {
    const env = workerEnvironment(base, '5');
    expect(env.account).toEqual(workerAccount(base.account, '5'));
    expect(env.endpoints.kv).toBe(base.endpoints.kv!.replace(/devstoreaccount1$/, 'devstoreaccount1w5'));
    expect(env.connectionString).toContain(`AccountName=devstoreaccount1w5;AccountKey=${env.account.key};`);
    expect(env.env.LOCALZURE_ACCOUNT_NAME).toBe('devstoreaccount1w5');
    expect(env.controlUrl).toBe(base.controlUrl);
  });

  it('outside a worker is the base environment', () => {
    expect(workerEnvironment(base, undefined)).toBe(base);
  });

  it('finds its account seeded once registered', async () => {
    const env = await joined('1');
    expect(await kvEntries(env.endpoints.kv!)).toEqual({ greeting: 'hello from the seed folder' });
  });

  it('keeps its data apart from another worker writing the same key', async () => {
    const one = await joined('1');
    const two = await joined('2');
    await kvPut(one.endpoints.kv!, 'shared-name', 'from one');
    await kvPut(two.endpoints.kv!, 'shared-name', 'from two');
    expect((await kvEntries(one.endpoints.kv!))['shared-name']).toBe('from one');
    expect((await kvEntries(two.endpoints.kv!))['shared-name']).toBe('from two');
  });

  it('resets only its own account', async () => {
    const one = await joined('1');
    const two = await joined('2');
    await kvPut(one.endpoints.kv!, 'mine', 'one');
    await kvPut(two.endpoints.kv!, 'mine', 'two');
    await resetLocalZure(undefined, one);
    expect(await kvEntries(one.endpoints.kv!)).toEqual({ greeting: 'hello from the seed folder' });
    expect((await kvEntries(two.endpoints.kv!)).mine).toBe('two');
  });

  it('sends consecutive resets down the one kept-alive control connection', async () => {
    const env = await joined('1');
    let opened = 0;
    const count = () => opened++;
    subscribe('net.client.socket', count);
    try {
      for (let i = 0; i < 5; i++) await resetLocalZure(undefined, env);
    } finally {
      unsubscribe('net.client.socket', count);
    }
    expect(opened).toBe(0);
  });

  it('registers its account idempotently', async () => {
    const env = await joined('1');
    await kvPut(env.endpoints.kv!, 'kept', 'yes');
    await new ControlClient(env.controlUrl).registerNamespace(env.account);
    expect((await kvEntries(env.endpoints.kv!)).kept).toBe('yes');
  });

  it('refuses an account name already registered with another key', async () => {
    const env = await joined('1');
    const error = await caught<ControlRequestError>(() =>
      new ControlClient(env.controlUrl).registerNamespace({ name: env.account.name, key: BASE.key }),
    );
    expect(error).toBeInstanceOf(ControlRequestError);
    expect(error.status).toBe(409);
    expect(error.remoteCode).toBe('NamespaceConflict');
    expect(error.message).toContain(env.account.name);
  });

  it('cannot reset an account that was never registered', async () => {
    const error = await caught<ControlRequestError>(() => resetLocalZure(undefined, workerEnvironment(base, '9')));
    expect(error).toBeInstanceOf(ControlRequestError);
    expect(error.code).toBe('LZ_CONTROL_REQUEST_FAILED');
    expect(error.status).toBe(404);
    expect(error.remoteCode).toBe('NamespaceNotFound');
  });

  it('resets the account process.env names when given no target', async () => {
    const env = await joined('1');
    const saved = { ...process.env };
    Object.assign(process.env, env.env);
    try {
      await kvPut(env.endpoints.kv!, 'temp', 'x');
      await kvPut(base.endpoints.kv!, 'temp', 'x');
      await resetLocalZure();
      expect((await kvEntries(env.endpoints.kv!)).temp).toBeUndefined();
      expect((await kvEntries(base.endpoints.kv!)).temp).toBe('x');
    } finally {
      process.env = saved;
    }
  });
});

describe('resetLocalZure', () => {
  it('explains how to start LocalZure when process.env has no control URL', async () => {
    const saved = process.env.LOCALZURE_CONTROL_URL;
    delete process.env.LOCALZURE_CONTROL_URL;
    try {
      const error = await caught<NotSetUpError>(() => resetLocalZure());
      expect(error).toBeInstanceOf(NotSetUpError);
      expect(error.message).toContain('globalSetup');
    } finally {
      if (saved !== undefined) process.env.LOCALZURE_CONTROL_URL = saved;
    }
  });

  it('says the control API is unreachable once LocalZure has stopped', async () => {
    const lz = withLocalZure(['kv'], { cwd: PLUGIN_PROJECT, logger: quietLogger });
    const env = await lz.setup();
    await lz.teardown();
    const error = await caught<ControlRequestError>(() => resetLocalZure(undefined, env));
    expect(error).toBeInstanceOf(ControlRequestError);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('not reachable');
  });
});
