import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AlreadySetUpError,
  BulkOperationError,
  InvalidOptionError,
  NotSetUpError,
  PortInUseError,
  ServiceNotFoundError,
  withLocalZure,
  type LocalZureHarness,
  type LocalZureOptions,
} from '../../src/index.js';
import { caught } from '../support/test-service.js';
import { KV_SEED, PLUGIN_PROJECT, kvEntries, kvPut, quietLogger } from './support.js';

const started: LocalZureHarness[] = [];
afterEach(async () => {
  for (const harness of started.splice(0)) await harness[Symbol.asyncDispose]();
});

function harness(services: string[], options: LocalZureOptions = {}): LocalZureHarness {
  const created = withLocalZure(services, { cwd: PLUGIN_PROJECT, logger: quietLogger, ...options });
  started.push(created);
  return created;
}

describe('withLocalZure', () => {
  it('starts what a service depends on, in start order', async () => {
    const env = await harness(['kv-search']).setup();
    expect(env.services).toEqual(['kv', 'kv-index', 'kv-search']);
  });

  it('returns the endpoints and control URL of the running services', async () => {
    const env = await harness(['kv']).setup();
    expect(env.account.name).toBe('devstoreaccount1');
    expect(env.endpoints.kv).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    const health = await fetch(`${env.controlUrl}/_localzure/health`);
    expect(((await health.json()) as { status: string }).status).toBe('healthy');
  });

  it('uses the account it is given', async () => {
    const account = { name: 'myaccount', key: Buffer.from('a key of my own').toString('base64') };
    const env = await harness(['kv'], { account }).setup();
    expect(env.account).toEqual(account);
    expect(env.endpoints.kv).toMatch(/\/myaccount$/);
    expect(env.connectionString).toContain(`AccountKey=${account.key};`);
  });

  it('publishes the environment into process.env while it runs, and restores it on teardown', async () => {
    process.env.LOCALZURE_CONTROL_URL = 'http://before';
    try {
      const lz = harness(['kv']);
      const env = await lz.setup();
      expect(process.env.LOCALZURE_CONTROL_URL).toBe(env.controlUrl);
      expect(process.env.LOCALZURE_KV_ENDPOINT).toBe(env.endpoints.kv);
      await lz.teardown();
      expect(process.env.LOCALZURE_CONTROL_URL).toBe('http://before');
      expect(process.env.LOCALZURE_KV_ENDPOINT).toBeUndefined();
    } finally {
      delete process.env.LOCALZURE_CONTROL_URL;
    }
  });

  it('provides the environment to vitest workers under "localzure"', async () => {
    const provided = new Map<string, unknown>();
    const env = await harness(['kv']).setup({ provide: (key, value) => provided.set(key, value) });
    expect(provided.get('localzure')).toEqual(env);
    expect(provided.get('localzureSettings')).toEqual({ resetBetweenTests: true, guard: {} });
  });

  it('tells workers when resets between tests are off', async () => {
    const provided = new Map<string, unknown>();
    await harness(['kv'], { resetBetweenTests: false }).setup({ provide: (key, value) => provided.set(key, value) });
    expect(provided.get('localzureSettings')).toEqual({ resetBetweenTests: false, guard: {} });
  });

  it('stops the services on teardown', async () => {
    const lz = harness(['kv']);
    const env = await lz.setup();
    await lz.teardown();
    await expect(fetch(env.endpoints.kv!)).rejects.toThrow();
    await expect(fetch(`${env.controlUrl}/_localzure/health`)).rejects.toThrow();
  });

  it('can be set up again after teardown', async () => {
    const lz = harness(['kv']);
    await lz.setup();
    await lz.teardown();
    const env = await lz.setup();
    expect(await kvEntries(env.endpoints.kv!)).toEqual({});
  });
});

describe('withLocalZure seed', () => {
  it('applies a seed folder, relative to cwd, at start', async () => {
    const env = await harness(['kv'], { cwd: PLUGIN_PROJECT, seed: '../kv-seed' }).setup();
    expect(await kvEntries(env.endpoints.kv!)).toEqual({ greeting: 'hello from the seed folder' });
  });

  it('applies inline seed data at start', async () => {
    const env = await harness(['kv'], { seed: { kv: { colour: 'teal' } } }).setup();
    expect(await kvEntries(env.endpoints.kv!)).toEqual({ colour: 'teal' });
  });

  it('puts the seed back after a reset, and only the seed', async () => {
    const lz = harness(['kv'], { seed: KV_SEED });
    const env = await lz.setup();
    await kvPut(env.endpoints.kv!, 'greeting', 'overwritten');
    await kvPut(env.endpoints.kv!, 'extra', 'written by a test');
    await lz.reset();
    expect(await kvEntries(env.endpoints.kv!)).toEqual({ greeting: 'hello from the seed folder' });
  });

  it('refuses a seed folder that does not exist, naming it', async () => {
    const error = await caught<InvalidOptionError>(() => harness(['kv'], { seed: './no-such-seed' }).setup());
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.code).toBe('LZ_INVALID_OPTION');
    expect(error.message).toContain('no-such-seed');
  });
});

describe('withLocalZure reset', () => {
  it('resets a service and what depends on it, dependents first', async () => {
    const lz = harness(['kv-search']);
    await lz.setup();
    expect(await lz.reset('kv-index')).toEqual(['kv-search', 'kv-index']);
    expect(await lz.reset()).toEqual(['kv-search', 'kv-index', 'kv']);
  });

  it('needs a running harness', async () => {
    const error = await caught<NotSetUpError>(() => harness(['kv']).reset());
    expect(error).toBeInstanceOf(NotSetUpError);
    expect(error.code).toBe('LZ_NOT_SET_UP');
  });
});

describe('withLocalZure errors', () => {
  it('names the known services when asked for an unknown one', async () => {
    const error = await caught<ServiceNotFoundError>(() => harness(['blobb']).setup());
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error.code).toBe('LZ_SERVICE_NOT_FOUND');
    expect(error.message).toContain('"blobb"');
    expect(error.message).toContain('kv-index');
  });

  it('refuses a second setup while running', async () => {
    const lz = harness(['kv']);
    await lz.setup();
    const error = await caught<AlreadySetUpError>(() => lz.setup());
    expect(error).toBeInstanceOf(AlreadySetUpError);
    expect(error.code).toBe('LZ_ALREADY_SET_UP');
  });

  it('refuses a second setup while the first is still starting', async () => {
    const lz = harness(['kv']);
    const first = lz.setup();
    await expect(lz.setup()).rejects.toBeInstanceOf(AlreadySetUpError);
    await first;
  });

  it('refuses teardown before setup', async () => {
    const error = await caught<NotSetUpError>(() => withLocalZure(['kv']).teardown());
    expect(error).toBeInstanceOf(NotSetUpError);
    expect(error.code).toBe('LZ_NOT_SET_UP');
    expect(error.message).toContain('setup()');
  });

  it('refuses to hand out the environment before setup', () => {
    expect(() => withLocalZure(['kv']).environment).toThrow(NotSetUpError);
  });

  it('stops what already started when a service fails to start, and frees its port', async () => {
    const kvPort = await freePort();
    const lz = harness(['broken'], { ports: { kv: kvPort } });
    const error = await caught<BulkOperationError>(() => lz.setup());
    expect(error).toBeInstanceOf(BulkOperationError);
    expect(error.code).toBe('LZ_START_FAILED');
    expect(error.message).toContain('broken refuses to start');
    expect(process.env.LOCALZURE_CONTROL_URL).toBeUndefined();
    await expect(listenOn(kvPort).then(close)).resolves.toBeUndefined();
    await expect(lz.teardown()).resolves.toBeUndefined();
  });

  it('names the port and the option that asked for it when a fixed port is taken', async () => {
    const blocker = await listenOn(0);
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await caught<PortInUseError>(() => harness(['kv'], { ports: { kv: port } }).setup());
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.code).toBe('LZ_PORT_IN_USE');
      expect(error.port).toBe(port);
      expect(error.message).toContain(`Port ${port}`);
      expect(error.message).toContain('ports.kv');
    } finally {
      await close(blocker);
    }
  });

  it('serves a free fixed port', async () => {
    const port = await freePort();
    const env = await harness(['kv'], { ports: { kv: port } }).setup();
    expect(env.endpoints.kv).toBe(`http://127.0.0.1:${port}/devstoreaccount1`);
  });

  it.each([
    ['an account name with capitals', { account: { name: 'MyAccount', key: 'a2V5' } }, 'account.name'],
    ['a key that is not base64', { account: { name: 'myaccount', key: 'not base64!' } }, 'account.key'],
    ['a port out of range', { ports: { kv: 70000 } }, 'ports.kv'],
    ['a seed that is neither folder nor object', { seed: 42 as unknown as string }, 'seed'],
    ['a versioning switch that is no boolean', { versioning: 'yes' as unknown as boolean }, 'versioning'],
    ['a container retention Azure does not allow', { containerSoftDeleteDays: 366 }, 'containerSoftDeleteDays'],
  ])('rejects %s at once', (_, options, option) => {
    const error = (() => {
      try {
        withLocalZure(['kv'], options);
      } catch (e) {
        return e as InvalidOptionError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error?.option).toBe(option);
  });
});

function listenOn(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function freePort(): Promise<number> {
  const server = await listenOn(0);
  const { port } = server.address() as { port: number };
  await close(server);
  return port;
}
