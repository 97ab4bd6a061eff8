import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkOperationError,
  DEFAULT_ACCOUNT,
  DiscoveryError,
  LocalZureRuntime,
  PortInUseError,
  RuntimeStateError,
  ServiceNotFoundError,
  ServiceState,
} from '../../src/index.js';
import { caught, recordingLogger, TestService, type TestServiceOptions } from '../support/test-service.js';
import { createPluginProject } from '../support/plugin-project.js';

/** A runtime running TestServices (name → options) that share one journal. */
async function startRuntime(specs: Record<string, TestServiceOptions>) {
  const journal: string[] = [];
  const logger = recordingLogger();
  const runtime = new LocalZureRuntime({ logger });
  for (const [name, options] of Object.entries(specs)) {
    runtime.manager.registerService(new TestService(name, { journal, logger, context: runtime.manager.context, ...options }));
  }
  await runtime.start(Object.keys(specs));
  const call = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${runtime.controlUrl}${path}`, { method, body });
    return { status: response.status, headers: response.headers, json: (await response.json()) as any };
  };
  return { runtime, journal, call };
}

type Started = Awaited<ReturnType<typeof startRuntime>>;

describe('control API: health', () => {
  let lz: Started;
  let failNextStart = false;

  beforeAll(async () => {
    lz = await startRuntime({
      store: {},
      api: { dependencies: ['store'], onStart: () => (failNextStart ? Promise.reject(new Error('api crashed')) : undefined) },
      cache: {},
    });
  });
  afterAll(() => lz.runtime.stop());
  afterEach(async () => {
    failNextStart = false;
    await lz.runtime.manager.startAll();
  });

  it('is healthy when every service runs and passes its check', async () => {
    const { status, json } = await lz.call('GET', '/_localzure/health');
    expect(status).toBe(200);
    expect(json.status).toBe('healthy');
    expect(Object.keys(json.services)).toEqual(['api', 'cache', 'store']);
    expect(json.services.api).toEqual({ state: 'RUNNING', uptime: expect.any(Number), health: { status: 'healthy' } });
  });

  it('is degraded when a service FAILED while others run, and says which', async () => {
    await lz.runtime.manager.stopService('api');
    failNextStart = true;
    await expect(lz.runtime.manager.startService('api')).rejects.toThrow('api crashed');
    const { json } = await lz.call('GET', '/_localzure/health');
    expect(json.status).toBe('degraded');
    expect(json.services.api).toEqual({
      state: 'FAILED',
      uptime: null,
      health: { status: 'unhealthy', details: { state: 'FAILED', error: 'api crashed' } },
    });
    expect(json.services.store.state).toBe('RUNNING');
  });

  it('is unhealthy when no service runs', async () => {
    await lz.runtime.manager.stopAll();
    const { status, json } = await lz.call('GET', '/_localzure/health');
    expect(status).toBe(200);
    expect(json.status).toBe('unhealthy');
    expect(Object.values(json.services).map((s: any) => s.state)).toEqual(['STOPPED', 'STOPPED', 'STOPPED']);
  });
});

describe('control API: health judged by each service’s own check', () => {
  it('is degraded when a running service reports itself unhealthy', async () => {
    const lz = await startRuntime({ ok: {}, sick: { onHealth: () => ({ status: 'unhealthy', details: { disk: 'full' } }) } });
    try {
      const { json } = await lz.call('GET', '/_localzure/health');
      expect(json.status).toBe('degraded');
      expect(json.services.sick.health).toEqual({ status: 'unhealthy', details: { disk: 'full' } });
    } finally {
      await lz.runtime.stop();
    }
  });
});

describe('control API: services and reset', () => {
  let lz: Started;

  beforeAll(async () => {
    lz = await startRuntime({ root: {}, left: { dependencies: ['root'] }, right: { dependencies: ['root'] }, top: { dependencies: ['left', 'right'] } });
  });
  afterAll(() => lz.runtime.stop());
  afterEach(async () => {
    lz.journal.length = 0;
    await lz.runtime.manager.startAll();
  });

  it('lists the status of every service', async () => {
    const { status, json } = await lz.call('GET', '/_localzure/services');
    expect(status).toBe(200);
    expect(json.services.top).toEqual({ ...lz.runtime.manager.getServiceStatus('top'), uptime: expect.any(Number) });
    expect(json.services.top).toMatchObject({ state: 'RUNNING', dependencies: ['left', 'right'], source: 'registered' });
    expect(Object.keys(json.services)).toEqual(['left', 'right', 'root', 'top']);
  });

  it('resets everything dependents first and re-seeds in start order', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/reset');
    expect(status).toBe(200);
    expect(json.reset).toEqual(['top', 'right', 'left', 'root']);
    expect(lz.journal).toEqual([
      'reset:top', 'reset:right', 'reset:left', 'reset:root',
      'seed:root', 'seed:left', 'seed:right', 'seed:top',
    ]);
  });

  it('resets one namespace when asked', async () => {
    await lz.call('POST', `/_localzure/reset?namespace=${DEFAULT_ACCOUNT.name}`);
    expect(lz.journal).toContain(`reset:root:${DEFAULT_ACCOUNT.name}`);
  });

  it('answers 404 for a reset of a namespace that does not exist', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/reset?namespace=nosuchaccount');
    expect(status).toBe(404);
    expect(json.error.code).toBe('NamespaceNotFound');
    expect(lz.journal).toEqual([]);
  });

  it('resets one service and what depends on it', async () => {
    const { json } = await lz.call('POST', '/_localzure/reset/left');
    expect(json.reset).toEqual(['top', 'left']);
    expect(lz.journal).toEqual(['reset:top', 'reset:left', 'seed:left', 'seed:top']);
  });

  it('answers 404 with the known names for a reset of an unknown service', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/reset/nope');
    expect(status).toBe(404);
    expect(json.error.code).toBe('LZ_SERVICE_NOT_FOUND');
    expect(json.error.message).toContain('left, right, root, top');
  });

  it('answers 409 for a reset of a service that is not running', async () => {
    await lz.runtime.manager.stopService('top');
    const { status, json } = await lz.call('POST', '/_localzure/reset/top');
    expect(status).toBe(409);
    expect(json.error.code).toBe('LZ_INVALID_STATE');
  });

  it('skips stopped services in a full reset', async () => {
    await lz.runtime.manager.stopService('top');
    const { json } = await lz.call('POST', '/_localzure/reset');
    expect(json.reset).toEqual(['right', 'left', 'root']);
  });
});

describe('control API: namespaces', () => {
  let lz: Started;
  beforeAll(async () => {
    lz = await startRuntime({ ns: {} });
  });
  afterAll(() => lz.runtime.stop());

  it('lists the default account', async () => {
    const { json } = await lz.call('GET', '/_localzure/namespaces');
    expect(json.namespaces).toContain(DEFAULT_ACCOUNT.name);
  });

  it('adds an account with a generated key that services can look up', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'worker1acct' }));
    expect(status).toBe(200);
    expect(json.name).toBe('worker1acct');
    expect(Buffer.from(json.key, 'base64')).toHaveLength(64);
    expect(lz.runtime.manager.getService('ns').context.namespaces.get('worker1acct')).toEqual(json);
    expect((await lz.call('GET', '/_localzure/namespaces')).json.namespaces).toContain('worker1acct');
  });

  it('keeps the given key', async () => {
    const key = Buffer.from('k'.repeat(64)).toString('base64');
    const { json } = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'keyedacct', key }));
    expect(json).toEqual({ name: 'keyedacct', key });
  });

  it('returns the existing account when it is added again', async () => {
    const first = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'twiceacct' }));
    const second = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'twiceacct' }));
    expect(second.json).toEqual(first.json);
  });

  it('answers 400 for an invalid account name', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'Bad_Name' }));
    expect(status).toBe(400);
    expect(json.error.code).toBe('InvalidInput');
    expect(json.error.message).toContain('Bad_Name');
  });

  it('answers 400 when the name is missing', async () => {
    const { status } = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({}));
    expect(status).toBe(400);
  });
});

describe('control API: clock', () => {
  let lz: Started;
  beforeAll(async () => {
    lz = await startRuntime({ timed: {} });
  });
  afterAll(() => lz.runtime.stop());

  it('reports the runtime clock', async () => {
    const { json } = await lz.call('GET', '/_localzure/clock');
    expect(new Date(json.now).getTime()).toBe(json.nowMs);
    expect(Math.abs(json.nowMs - lz.runtime.clock.now())).toBeLessThan(60_000);
  });

  it('moves the clock forward by advanceMs, for every service', async () => {
    const before = lz.runtime.clock.now();
    const { json } = await lz.call('POST', '/_localzure/clock', JSON.stringify({ advanceMs: 3_600_000 }));
    expect(json.nowMs).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(lz.runtime.manager.getService('timed').context.clock.now()).toBeGreaterThanOrEqual(before + 3_600_000);
  });

  it('moves the clock to a given time', async () => {
    const target = lz.runtime.clock.now() + 86_400_000;
    const { json } = await lz.call('POST', '/_localzure/clock', JSON.stringify({ time: new Date(target).toISOString() }));
    expect(json.nowMs).toBeGreaterThanOrEqual(target);
  });

  it.each([
    ['a negative advance', { advanceMs: -1 }],
    ['a time in the past', { time: '2000-01-01T00:00:00Z' }],
    ['a time that is not a date', { time: 'tomorrow-ish' }],
    ['neither field', { nothing: true }],
  ])('answers 400 for %s', async (_label, body) => {
    const before = lz.runtime.clock.now();
    const { status, json } = await lz.call('POST', '/_localzure/clock', JSON.stringify(body));
    expect(status).toBe(400);
    expect(json.error.code).toBe('InvalidInput');
    expect(lz.runtime.clock.now() - before).toBeLessThan(60_000);
  });
});

describe('control API: bad requests', () => {
  let lz: Started;
  beforeAll(async () => {
    lz = await startRuntime({ target: {} });
  });
  afterAll(() => lz.runtime.stop());

  it.each(['/_localzure/nothing-here', '/_localzure/reset/target/extra', '/somewhere/else', '/'])(
    'answers 404 JSON for %s',
    async (path) => {
      const { status, headers, json } = await lz.call('GET', path);
      expect(status).toBe(404);
      expect(headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.error.code).toBe('NotFound');
    },
  );

  it.each([
    ['DELETE', '/_localzure/health', 'GET'],
    ['POST', '/_localzure/services', 'GET'],
    ['GET', '/_localzure/reset', 'POST'],
    ['GET', '/_localzure/reset/target', 'POST'],
    ['PUT', '/_localzure/namespaces', 'GET, POST'],
    ['DELETE', '/_localzure/clock', 'GET, POST'],
  ])('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const { status, headers, json } = await lz.call(method, path);
    expect(status).toBe(405);
    expect(headers.get('allow')).toBe(allow);
    expect(json.error.code).toBe('MethodNotAllowed');
  });

  it('answers 400 for a body that is not JSON', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/namespaces', '{"name": ');
    expect(status).toBe(400);
    expect(json.error.code).toBe('InvalidJson');
  });

  it('answers 400 for a path that is not valid percent-encoding', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/reset/%E0%A4%A');
    expect(status).toBe(400);
    expect(json.error.code).toBe('InvalidUri');
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/namespaces', JSON.stringify({ name: 'x'.repeat(1024 * 1024) }));
    expect(status).toBe(413);
    expect(json.error.code).toBe('RequestBodyTooLarge');
  });

  it('decodes a percent-encoded service name', async () => {
    const { status, json } = await lz.call('POST', '/_localzure/reset/%74arget');
    expect(status).toBe(200);
    expect(json.reset).toEqual(['target']);
  });
});

describe('LocalZureRuntime', () => {
  it('has no control URL before it starts', () => {
    expect(() => new LocalZureRuntime().controlUrl).toThrow(RuntimeStateError);
    expect(() => new LocalZureRuntime().controlUrl).toThrow(/not started/);
  });

  it('closes the control server when it stops', async () => {
    const { runtime } = await startRuntime({ closing: {} });
    const url = `${runtime.controlUrl}/_localzure/health`;
    await runtime.stop();
    await expect(fetch(url)).rejects.toThrow();
    expect(runtime.manager.getService('closing').state).toBe(ServiceState.STOPPED);
  });

  it('refuses to start twice', async () => {
    const { runtime } = await startRuntime({ twice: {} });
    try {
      const error = await caught<RuntimeStateError>(() => runtime.start());
      expect(error).toBeInstanceOf(RuntimeStateError);
      expect(error.code).toBe('LZ_RUNTIME_STATE');
    } finally {
      await runtime.stop();
    }
  });

  it('stops whatever started when a service fails to start', async () => {
    const runtime = new LocalZureRuntime({ logger: recordingLogger() });
    runtime.manager.registerService(new TestService('fine'));
    runtime.manager.registerService(new TestService('broken', { onStart: () => Promise.reject(new Error('no disk')) }));
    const error = await caught<BulkOperationError>(() => runtime.start(['fine', 'broken']));
    expect(error).toBeInstanceOf(BulkOperationError);
    expect(error.failures.map((f) => f.service)).toEqual(['broken']);
    expect(runtime.manager.getService('fine').state).toBe(ServiceState.STOPPED);
    expect(() => runtime.controlUrl).toThrow();
  });

  it('names the known services when asked for an unknown one', async () => {
    const project = createPluginProject(['lz-plugin-esm']);
    try {
      const runtime = new LocalZureRuntime({ cwd: project.dir, logger: recordingLogger() });
      const error = await caught<ServiceNotFoundError>(() => runtime.start(['nope']));
      expect(error).toBeInstanceOf(ServiceNotFoundError);
      expect(error.known).toEqual(expect.arrayContaining(['echo', 'echo-relay']));
      expect(runtime.manager.runningServices).toEqual([]);
    } finally {
      project.remove();
    }
  });

  it('reports why a dependency could not be loaded rather than calling it missing', async () => {
    const project = createPluginProject(['lz-plugin-broken']);
    try {
      const runtime = new LocalZureRuntime({ cwd: project.dir, logger: recordingLogger() });
      const error = await caught<DiscoveryError>(() => runtime.start(['needs-broken']));
      expect(error).toBeInstanceOf(DiscoveryError);
      expect(error.service).toBe('throws-on-load');
      expect(error.message).toContain('plugin exploded while loading');
    } finally {
      project.remove();
    }
  });

  it('reports the load error of a named service that could not be loaded', async () => {
    const project = createPluginProject(['lz-plugin-broken']);
    try {
      const runtime = new LocalZureRuntime({ cwd: project.dir, logger: recordingLogger() });
      const error = await caught<DiscoveryError>(() => runtime.start(['not-a-service']));
      expect(error).toBeInstanceOf(DiscoveryError);
      expect(error.service).toBe('not-a-service');
    } finally {
      project.remove();
    }
  });

  it('starts a plugin service with its dependencies on a free port and hands out its endpoint', async () => {
    const project = createPluginProject(['lz-plugin-esm']);
    try {
      await using runtime = new LocalZureRuntime({ cwd: project.dir, logger: recordingLogger() });
      await runtime.start(['echo-relay']);
      expect(runtime.services).toEqual(['echo', 'echo-relay']);
      const url = runtime.endpoints().echo!.url;
      expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${DEFAULT_ACCOUNT.name}$`));
      expect(await (await fetch(`${url}/ping`)).text()).toBe(`echo /${DEFAULT_ACCOUNT.name}/ping`);
    } finally {
      project.remove();
    }
  });

  it('names the control port when it is taken, and stops the services it started', async () => {
    const blocker = await startRuntime({ blocker: {} });
    const taken = Number(new URL(blocker.runtime.controlUrl).port);
    try {
      const runtime = new LocalZureRuntime({ controlPort: taken, logger: recordingLogger() });
      const service = new TestService('behind-taken-port', { context: runtime.manager.context });
      runtime.manager.registerService(service);
      const error = await caught<PortInUseError>(() => runtime.start(['behind-taken-port']));
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.code).toBe('LZ_PORT_IN_USE');
      expect(error.port).toBe(taken);
      expect(error.message).toContain('controlPort');
      expect(service.state).toBe(ServiceState.STOPPED);
    } finally {
      await blocker.runtime.stop();
    }
  });

  it('reports which port a fixed-port service could not get', async () => {
    const project = createPluginProject(['lz-plugin-esm']);
    const blocker = await startRuntime({ blocker: {} });
    const taken = Number(new URL(blocker.runtime.controlUrl).port);
    try {
      const runtime = new LocalZureRuntime({ cwd: project.dir, ports: { echo: taken }, logger: recordingLogger() });
      const error = await caught<BulkOperationError>(() => runtime.start(['echo']));
      expect(error.failures[0]!.error.message).toContain('EADDRINUSE');
    } finally {
      await blocker.runtime.stop();
      project.remove();
    }
  });
});
