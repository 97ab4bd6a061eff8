import { describe, expect, it } from 'vitest';
import { AzuriteContainerService } from '../../src/containers/azurite.js';
import { CosmosDbContainerService } from '../../src/containers/cosmosdb.js';
import { EventHubsContainerService } from '../../src/containers/eventhubs.js';
import { MssqlContainerService } from '../../src/containers/mssql.js';
import { requireContainerRuntime, runtimeCandidates, type Testcontainers } from '../../src/containers/runtime-availability.js';
import { ServiceBusContainerService } from '../../src/containers/servicebus.js';
import { BulkOperationError, NamespaceRegistry, ServiceManager, ServiceState } from '../../src/index.js';
import { recordingLogger } from '../support/test-service.js';
import { engine } from './engine.js';

/** testcontainers as it behaves where no strategy finds an engine. */
const noEngine = {
  load: async () =>
    ({ getContainerRuntimeClient: () => Promise.reject(new Error('Could not find a working container runtime strategy')) }) as unknown as Testcontainers,
};
/** An engine address that accepts nothing and answers nothing. */
const silentEngine = { timeoutMs: 200, load: async () => ({ getContainerRuntimeClient: () => new Promise(() => {}) }) as unknown as Testcontainers };

describe('without a container runtime', () => {
  it('rejects with LZ_CONTAINER_RUNTIME_UNAVAILABLE naming the service and what was tried', async () => {
    const error = await requireContainerRuntime('servicebus', noEngine).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE', service: 'servicebus' });
    expect((error as Error).message).toMatch(/Cannot start "servicebus".*Tried: .*DOCKER_HOST/);
    expect((error as { tried: string[] }).tried.length).toBeGreaterThan(0);
  });

  it('gives up on an engine that never answers after the timeout instead of hanging', async () => {
    const started = Date.now();
    await expect(requireContainerRuntime('cosmosdb', silentEngine)).rejects.toMatchObject({
      code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE',
      reason: expect.stringContaining('within 200 ms'),
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('says so when testcontainers itself is not installed', async () => {
    const missing = { load: () => Promise.reject(new Error("Cannot find package 'testcontainers'")) };
    await expect(requireContainerRuntime('azurite', missing)).rejects.toMatchObject({
      code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE',
      tried: ['import("testcontainers")'],
      reason: expect.stringContaining('npm install --save-dev testcontainers'),
    });
  });

  it.skipIf(engine)('fails fast on this machine, where testcontainers finds no engine', async () => {
    const started = Date.now();
    await expect(requireContainerRuntime('mssql')).rejects.toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails the start of a service, leaving it FAILED with the error', async () => {
    const service = new AzuriteContainerService({ logger: recordingLogger() }, { runtime: noEngine });
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(service.state).toBe(ServiceState.FAILED);
    expect(service.error).toMatchObject({ code: 'LZ_CONTAINER_RUNTIME_UNAVAILABLE' });
    expect(await service.health()).toMatchObject({ status: 'unhealthy' });
    await service.stop();
  });

  it('makes startAll report the runtime error and skip the dependents of the failed service', async () => {
    const context = { namespaces: new NamespaceRegistry(), logger: recordingLogger(), acceptEula: true };
    const manager = new ServiceManager(context);
    manager.registerServices([
      new MssqlContainerService(context, { runtime: noEngine }),
      new ServiceBusContainerService(context, { runtime: noEngine }),
    ]);
    const error = (await manager.startAll().catch((e: unknown) => e)) as BulkOperationError;
    expect(error.code).toBe('LZ_START_FAILED');
    expect(error.failures.map((f) => [f.service, (f.error as { code?: string }).code])).toEqual([
      ['mssql', 'LZ_CONTAINER_RUNTIME_UNAVAILABLE'],
      ['servicebus-container', 'LZ_DEPENDENCY_FAILED'],
    ]);
    await manager.stopAll();
  });

  it('reports a bad seed before asking for an engine', async () => {
    const service = new EventHubsContainerService(
      { logger: recordingLogger(), acceptEula: true, seed: { data: { eventhubs: { hubs: { h: { partitionCount: 0 } } } } } },
      { runtime: noEngine },
    );
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_INVALID_CONTAINER_CONFIG' });
  });

  it('reports a bad Cosmos DB seed before asking for an engine', async () => {
    const service = new CosmosDbContainerService(
      { logger: recordingLogger(), seed: { data: { cosmosdb: { databases: { d: { c: { partitionKey: 'id' } } } } } } },
      { runtime: noEngine },
    );
    await expect(service.start()).rejects.toMatchObject({ code: 'LZ_INVALID_CONTAINER_CONFIG' });
  });
});

describe('where testcontainers looks for an engine', () => {
  const base = { env: {}, platform: 'linux' as const, home: '/home/u', uid: 1000, exists: () => false, readText: () => undefined };

  it('lists DOCKER_HOST, the default socket and the rootless sockets with what it found', () => {
    const tried = runtimeCandidates({ ...base, env: { XDG_RUNTIME_DIR: '/run/user/1000' } });
    expect(tried).toEqual([
      '/home/u/.testcontainers.properties (absent)',
      'DOCKER_HOST (not set)',
      '/var/run/docker.sock (missing)',
      '/run/user/1000/docker.sock (missing)',
      '/home/u/.docker/run/docker.sock (missing)',
      '/home/u/.docker/desktop/docker.sock (missing)',
      '/run/user/1000/docker.sock (missing)',
    ]);
  });

  it('names the DOCKER_HOST value and a socket that exists but did not answer', () => {
    const tried = runtimeCandidates({ ...base, env: { DOCKER_HOST: 'tcp://10.0.0.9:2375' }, exists: (p) => p === '/var/run/docker.sock' });
    expect(tried).toContain('DOCKER_HOST=tcp://10.0.0.9:2375 (no engine answered)');
    expect(tried).toContain('/var/run/docker.sock (present, but no engine answered)');
  });

  it('names the hosts set in ~/.testcontainers.properties', () => {
    const tried = runtimeCandidates({ ...base, readText: () => 'tc.host=tcp://cloud:2375\nother=1\n' });
    expect(tried[0]).toBe('/home/u/.testcontainers.properties (tc.host=tcp://cloud:2375: no engine answered)');
  });

  it('looks at the named pipe on Windows instead of sockets', () => {
    const tried = runtimeCandidates({ ...base, platform: 'win32' });
    expect(tried.at(-1)).toBe('npipe:////./pipe/docker_engine (no engine answered)');
    expect(tried.some((t) => t.includes('docker.sock'))).toBe(false);
  });
});
