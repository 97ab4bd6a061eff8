import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { azuriteAccounts } from '../../src/containers/azurite.js';
import { buildEnvironment } from '../../src/harness/environment.js';
import {
  alternativeEndpoints,
  containerStorageEndpoints,
  containerStorageServices,
  containerWorkerCount,
  runnerMaxWorkers,
  servicesForBackend,
  workerAccounts,
} from '../../src/harness/storage-backend.js';
import {
  BulkOperationError,
  DEFAULT_ACCOUNT,
  InvalidOptionError,
  NotSetUpError,
  withLocalZure,
  workerAccount,
  workerEnvironment,
  type LocalZureHarness,
  type LocalZureOptions,
  type LocalZureRuntime,
  type Namespace,
} from '../../src/index.js';
import { caught } from '../support/test-service.js';
import { engine, engineMissing } from '../containers/engine.js';
import { PLUGIN_PROJECT, quietLogger } from './support.js';

const started: LocalZureHarness[] = [];
afterEach(async () => {
  for (const harness of started.splice(0)) await harness[Symbol.asyncDispose]();
});

function harness(services: string[], options: LocalZureOptions = {}): LocalZureHarness {
  const created = withLocalZure(services, { logger: quietLogger, ...options });
  started.push(created);
  return created;
}

describe('backend option', () => {
  it('rejects a backend other than in-process or container at once, with LZ_INVALID_OPTION', async () => {
    const error = await caught<InvalidOptionError>(() => withLocalZure(['blob'], { backend: 'docker' as 'container' }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'LZ_INVALID_OPTION', option: 'backend' });
    expect(error.message).toContain('"docker"');
  });

  it.each(['in-process', 'container'] as const)('accepts %s', (backend) => {
    expect(() => withLocalZure(['blob'], { backend })).not.toThrow();
  });

  it('refuses blob, queue or table seed data on the container, which cannot load it', async () => {
    const lz = harness(['blob', 'queue'], { backend: 'container', seed: { blob: { photos: { 'a.txt': 'hi' } }, queue: { jobs: ['m'] } } });
    const error = await caught<InvalidOptionError>(() => lz.setup());
    expect(error).toMatchObject({ code: 'LZ_INVALID_OPTION', option: 'seed' });
    expect(error.message).toContain('blob, queue seed data');
  });

  it('refuses a seed folder with storage data on the container, naming what it holds', async () => {
    const seed = fileURLToPath(new URL('../../fixtures/seed/', import.meta.url));
    const error = await caught<InvalidOptionError>(() => harness(['table'], { backend: 'container', seed }).setup());
    expect(error).toMatchObject({ code: 'LZ_INVALID_OPTION', option: 'seed' });
    expect(error.message).toContain('blob, queue, table seed data');
  });
});

describe('services the container backend starts', () => {
  it('runs blob, queue and table as the one azurite service', () => {
    expect(servicesForBackend(['blob', 'queue', 'table'], 'container')).toEqual(['azurite']);
  });

  it('keeps services that are not storage', () => {
    expect(servicesForBackend(['servicebus', 'table'], 'container')).toEqual(['servicebus-container', 'azurite']);
  });

  it("starts Microsoft's Cosmos DB emulator image for cosmosdb", () => {
    expect(servicesForBackend(['cosmosdb', 'blob'], 'container')).toEqual(['cosmosdb-container', 'azurite']);
    expect(servicesForBackend(['cosmosdb'], 'in-process')).toEqual(['cosmosdb']);
  });

  it('leaves the request untouched on the in-process backend', () => {
    expect(servicesForBackend(['blob', 'queue'], 'in-process')).toEqual(['blob', 'queue']);
  });

  it('hands out only the storage services that were asked for', () => {
    expect(containerStorageServices(['queue', 'servicebus'], 'container')).toEqual(['queue']);
    expect(containerStorageServices(['queue'], 'in-process')).toEqual([]);
  });
});

describe('worker accounts on the container', () => {
  const base: Namespace = DEFAULT_ACCOUNT;

  it('registers, before the container starts, the account each worker derives', () => {
    const registered = workerAccounts(base, 4);
    expect(registered[2]).toEqual(workerAccount(base, '3'));
    expect(azuriteAccounts([base, ...registered]).split(';')).toContain(`${registered[2]!.name}:${registered[2]!.key}`);
  });

  it('covers the maxWorkers of the vitest project passed to setup', () => {
    expect(runnerMaxWorkers({ config: { maxWorkers: 40 } })).toBe(40);
    expect(containerWorkerCount(40)).toBe(40);
  });

  it('covers at least 16 workers when the runner does not say how many', () => {
    expect(runnerMaxWorkers(undefined)).toBeUndefined();
    expect(containerWorkerCount()).toBeGreaterThanOrEqual(16);
  });
});

describe('Environment on the container backend', () => {
  // The runtime's view the Environment is built from, with azurite answering as AzuriteContainerService does.
  const runtime = {
    services: ['azurite', 'servicebus'],
    controlUrl: 'http://127.0.0.1:4000',
    account: DEFAULT_ACCOUNT,
    endpoints: (ns: Namespace) => ({
      azurite: { url: `http://localhost:32001/${ns.name}`, connectionString: 'DefaultEndpointsProtocol=http;...' },
      servicebus: { url: 'sb://localhost:5673', connectionString: 'Endpoint=sb://localhost:5673;' },
    }),
    manager: {
      getService: () => ({
        storageEndpoints: (ns: Namespace) => ({
          blob: `http://localhost:32001/${ns.name}`,
          queue: `http://localhost:32002/${ns.name}`,
          table: `http://localhost:32003/${ns.name}`,
        }),
      }),
    },
  } as unknown as LocalZureRuntime;
  const env = buildEnvironment(runtime, DEFAULT_ACCOUNT, containerStorageEndpoints(runtime, ['blob', 'queue']));

  it('hands out the container ports as endpoints.blob and endpoints.queue, like the in-process backend', () => {
    expect(env.endpoints).toEqual({
      blob: 'http://localhost:32001/devstoreaccount1',
      queue: 'http://localhost:32002/devstoreaccount1',
      servicebus: 'sb://localhost:5673',
    });
  });

  it('builds the storage connection string from those endpoints', () => {
    expect(env.connectionString).toBe(
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEFAULT_ACCOUNT.key};` +
        'BlobEndpoint=http://localhost:32001/devstoreaccount1;QueueEndpoint=http://localhost:32002/devstoreaccount1;',
    );
    expect(env.env.AZURE_STORAGE_CONNECTION_STRING).toBe(env.connectionString);
  });

  it('hands the Service Bus container out as servicebus, the in-process name', () => {
    const standIn = { ...runtime, endpoints: () => ({ 'servicebus-container': { url: 'sb://localhost:5673', connectionString: 'Endpoint=sb://localhost:5673;' } }) } as unknown as LocalZureRuntime;
    const endpoints = alternativeEndpoints(containerStorageEndpoints(standIn, []));
    expect(Object.keys(endpoints)).toEqual(['servicebus']);
    expect(endpoints.servicebus!.url).toBe('sb://localhost:5673');
  });

  it('keeps azurite out of connectionStrings, where a worker would find the base account', () => {
    expect(env.connectionStrings).toEqual({ servicebus: 'Endpoint=sb://localhost:5673;' });
  });

  it('gives a worker its pre-registered account on the same container ports', () => {
    const worker = workerEnvironment(env, '2');
    expect(worker.account).toEqual(workerAccount(DEFAULT_ACCOUNT, '2'));
    expect(worker.endpoints.blob).toBe(`http://localhost:32001/${worker.account.name}`);
    expect(worker.connectionString).toContain(`QueueEndpoint=http://localhost:32002/${worker.account.name};`);
  });
});

describe.skipIf(engine)(`setup() on the container backend where no container engine answers (${engineMissing ?? 'an engine answers here'})`, () => {
  it('fails fast with LZ_CONTAINER_RUNTIME_UNAVAILABLE itself, not wrapped in the start report', async () => {
    const begun = Date.now();
    const error = await caught<Error & { code: string; service: string; tried: string[] }>(() => harness(['blob', 'table'], { backend: 'container' }).setup());
    expect(error).not.toBeInstanceOf(BulkOperationError);
    expect(error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE', service: 'azurite' });
    expect(error.message).toMatch(/Cannot start "azurite".*Tried: /);
    expect(Date.now() - begun).toBeLessThan(15_000);
  });

  it('unwraps it when the other failures only depended on the container', async () => {
    const error = await caught<Error & { code: string }>(() => harness(['blob', 'eventhubs'], { backend: 'container', acceptEula: true }).setup());
    expect(error.code).toBe('LZ_CONTAINER_RUNTIME_UNAVAILABLE');
  });

  it('keeps the start report when another service failed for a reason of its own', async () => {
    const error = await caught<BulkOperationError>(() => harness(['blob', 'broken'], { backend: 'container', cwd: PLUGIN_PROJECT }).setup());
    expect(error).toBeInstanceOf(BulkOperationError);
    expect(error.failures.map((f) => [f.service, (f.error as { code?: string }).code])).toContainEqual(['azurite', 'LZ_CONTAINER_RUNTIME_UNAVAILABLE']);
    expect(error.failures.map((f) => f.service)).toContain('broken');
  });

  it('leaves nothing listening, no port held and process.env untouched', async () => {
    const [controlPort, azuritePort] = [await freePort(), await freePort()];
    const listeningBefore = await listeningServers();
    const lz = harness(['queue'], { backend: 'container', controlPort, ports: { azurite: azuritePort } });
    await expect(lz.setup()).rejects.toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(await listeningServers()).toBe(listeningBefore);
    await expect(freePort(controlPort)).resolves.toBe(controlPort);
    await expect(freePort(azuritePort)).resolves.toBe(azuritePort);
    expect(process.env.LOCALZURE_CONTROL_URL).toBeUndefined();
    expect(() => lz.environment).toThrow(NotSetUpError);
    await expect(lz.teardown()).resolves.toBeUndefined();
  });
});

// Counted on the next turn, once servers closed earlier have released their handles.
async function listeningServers(): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
}

/** Listens on `port` (any free one for 0) and lets it go again; rejects when it is taken. */
function freePort(port = 0): Promise<number> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}
