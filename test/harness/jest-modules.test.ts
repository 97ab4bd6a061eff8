import { afterEach, describe, expect, it } from 'vitest';
import globalSetup from '../../src/harness/jest/global-setup.js';
import globalTeardown from '../../src/harness/jest/global-teardown.js';
import { useLocalZure } from '../../src/harness/jest/use-localzure.js';
import { AlreadySetUpError, InvalidOptionError, NotSetUpError, OutsideTestFileError, type Environment } from '../../src/index.js';
import { caught } from '../support/test-service.js';
import { PLUGIN_PROJECT, kvEntries, quietLogger } from './support.js';
import { recordedHooks } from './recorded-hooks.js';

const project = (localzure: Record<string, unknown>) => ({
  rootDir: PLUGIN_PROJECT,
  testEnvironmentOptions: { localzure: { logger: quietLogger, ...localzure } },
});

afterEach(async () => {
  delete process.env.LOCALZURE_SERVICES;
  await globalTeardown().catch(() => {});
});

describe('localzure/jest/global-setup', () => {
  it('starts the services named in testEnvironmentOptions.localzure and hands them over in process.env', async () => {
    await globalSetup(undefined, project({ services: ['kv-index'] }));
    const handover = JSON.parse(process.env.LOCALZURE_HARNESS!) as { environment: Environment; resetBetweenTests: boolean };
    expect(handover.environment.services).toEqual(['kv', 'kv-index']);
    expect(handover.resetBetweenTests).toBe(true);
    expect(process.env.LOCALZURE_KV_ENDPOINT).toBe(handover.environment.endpoints.kv);
  });

  it('lets LOCALZURE_SERVICES choose the services instead', async () => {
    process.env.LOCALZURE_SERVICES = 'kv, kv-search';
    await globalSetup(undefined, project({ services: ['kv'] }));
    expect(JSON.parse(process.env.LOCALZURE_HARNESS!).environment.services).toEqual(['kv', 'kv-index', 'kv-search']);
  });

  it('resolves a relative seed folder against the project rootDir', async () => {
    await globalSetup(undefined, project({ services: ['kv'], seed: '../kv-seed' }));
    expect(await kvEntries(process.env.LOCALZURE_KV_ENDPOINT!)).toEqual({ greeting: 'hello from the seed folder' });
  });

  it('says where to name the services when none are configured', async () => {
    const error = await caught<InvalidOptionError>(() => globalSetup(undefined, project({})));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toContain('testEnvironmentOptions');
    expect(error.message).toContain('LOCALZURE_SERVICES');
  });

  it('refuses to run twice without a teardown in between', async () => {
    await globalSetup(undefined, project({ services: ['kv'] }));
    await expect(globalSetup(undefined, project({ services: ['kv'] }))).rejects.toBeInstanceOf(AlreadySetUpError);
  });
});

describe('localzure/jest/global-teardown', () => {
  it('stops what global-setup started and restores process.env', async () => {
    await globalSetup(undefined, project({ services: ['kv'] }));
    const endpoint = process.env.LOCALZURE_KV_ENDPOINT!;
    await globalTeardown();
    await expect(fetch(endpoint)).rejects.toThrow();
    expect(process.env.LOCALZURE_HARNESS).toBeUndefined();
  });

  it('says global-setup is missing when it has nothing to stop', async () => {
    const error = await caught<NotSetUpError>(() => globalTeardown());
    expect(error).toBeInstanceOf(NotSetUpError);
    expect(error.message).toContain('localzure/jest/global-setup');
  });
});

describe('localzure/jest useLocalZure', () => {
  afterEach(() => {
    const scope = globalThis as Record<string | symbol, unknown>;
    delete scope.beforeAll;
    delete scope.beforeEach;
    delete scope[Symbol.for('localzure.jest.environment')];
  });

  it('joins the worker once per test file, however often it is called', async () => {
    await globalSetup(undefined, project({ services: ['kv'] }));
    const hooks = recordedHooks();
    Object.assign(globalThis, hooks);
    const env = useLocalZure();
    const registered = [hooks.beforeAllHooks.length, hooks.beforeEachHooks.length];
    expect(useLocalZure()).toBe(env);
    expect(env.account.name).toMatch(/^devstoreaccount1w\d+$/);
    expect([hooks.beforeAllHooks.length, hooks.beforeEachHooks.length]).toEqual(registered);
  });

  it('explains the jest config when global-setup did not run', () => {
    Object.assign(globalThis, recordedHooks());
    expect(() => useLocalZure()).toThrow(NotSetUpError);
  });

  it('needs jest\'s hooks', async () => {
    await globalSetup(undefined, project({ services: ['kv'] }));
    expect(() => useLocalZure()).toThrow(OutsideTestFileError);
  });
});
