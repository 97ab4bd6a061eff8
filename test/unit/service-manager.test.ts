import { describe, expect, it } from 'vitest';
import {
  BulkOperationError,
  CircularDependencyError,
  DependencyFailedError,
  DependencyNotRunningError,
  DuplicateServiceError,
  MissingDependencyError,
  ServiceDisabledError,
  ServiceManager,
  ServiceNotFoundError,
  ServiceState,
  ServiceStateError,
  type ServiceEvent,
} from '../../src/index.js';
import { caught, recordingLogger, TestService, type TestServiceOptions } from '../support/test-service.js';

const { RUNNING, STOPPED, FAILED, UNINITIALIZED } = ServiceState;

/** A manager over `specs` (name → options) whose services share one journal. */
function managerWith(specs: Record<string, TestServiceOptions>) {
  const journal: string[] = [];
  const logger = recordingLogger();
  const manager = new ServiceManager({ logger });
  for (const [name, options] of Object.entries(specs)) {
    manager.registerService(new TestService(name, { journal, logger, ...options }));
  }
  const only = (prefix: string) => journal.filter((j) => j.startsWith(`${prefix}:`)).map((j) => j.slice(prefix.length + 1));
  return { manager, journal, logger, only };
}

const chain = { c: { dependencies: ['b'] }, a: {}, b: { dependencies: ['a'] } };
const diamond = { d: { dependencies: ['b', 'c'] }, c: { dependencies: ['a'] }, b: { dependencies: ['a'] }, a: {} };
const fail = (message: string) => () => Promise.reject(new Error(message));

describe('ServiceManager registration', () => {
  it('counts registered services', () => {
    const { manager } = managerWith({ a: {}, b: {} });
    expect(manager.serviceCount).toBe(2);
  });

  it('refuses a second service of the same name', () => {
    const { manager } = managerWith({ a: {} });
    expect(() => manager.registerService(new TestService('a'))).toThrow(DuplicateServiceError);
  });

  it('names the known services when asked for an unknown one', async () => {
    const { manager } = managerWith({ a: {}, b: {} });
    const error = await caught<ServiceNotFoundError>(() => manager.startService('nope'));
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect(error.code).toBe('LZ_SERVICE_NOT_FOUND');
    expect(error.known).toEqual(['a', 'b']);
    expect(error.message).toContain('a, b');
  });
});

describe('ServiceManager ordering', () => {
  it('orders services without dependencies by name', () => {
    const { manager } = managerWith({ queue: {}, blob: {}, table: {} });
    expect(manager.initialize()).toEqual(['blob', 'queue', 'table']);
  });

  it('starts a chain A→B→C as A, B, C', async () => {
    const { manager, only } = managerWith(chain);
    await manager.startAll();
    expect(only('start')).toEqual(['a', 'b', 'c']);
  });

  it('stops a chain A→B→C as C, B, A', async () => {
    const { manager, only } = managerWith(chain);
    await manager.startAll();
    await manager.stopAll();
    expect(only('stop')).toEqual(['c', 'b', 'a']);
  });

  it('starts a diamond root first and its join last', async () => {
    const { manager, only } = managerWith(diamond);
    await manager.startAll();
    expect(only('start')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops a diamond join first and its root last', async () => {
    const { manager, only } = managerWith(diamond);
    await manager.startAll();
    await manager.stopAll();
    expect(only('stop')).toEqual(['d', 'c', 'b', 'a']);
  });

  it('orders the same way whatever the registration order', () => {
    const forward = managerWith(diamond).manager.initialize();
    const backward = managerWith(Object.fromEntries(Object.entries(diamond).reverse())).manager.initialize();
    expect(backward).toEqual(forward);
  });

  it('names both services when a dependency is missing', () => {
    const { manager } = managerWith({ servicebus: { dependencies: ['mssql'] } });
    const error = (() => {
      try {
        manager.initialize();
      } catch (e) {
        return e as MissingDependencyError;
      }
    })();
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error?.code).toBe('LZ_MISSING_DEPENDENCY');
    expect(error?.service).toBe('servicebus');
    expect(error?.dependency).toBe('mssql');
    expect(error?.message).toMatch(/servicebus.*mssql/);
  });

  it('gives the whole path of a cycle', async () => {
    const { manager, journal } = managerWith({ a: { dependencies: ['c'] }, b: { dependencies: ['a'] }, c: { dependencies: ['b'] } });
    const error = await caught<CircularDependencyError>(() => manager.startAll());
    expect(error).toBeInstanceOf(CircularDependencyError);
    expect(error.code).toBe('LZ_CIRCULAR_DEPENDENCY');
    expect(error.cycle).toEqual(['a', 'c', 'b', 'a']);
    expect(error.message).toContain('a → c → b → a');
    expect(journal).toEqual([]);
  });

  it('gives the cycle itself, not the service leading into it', () => {
    const { manager } = managerWith({ a: { dependencies: ['b'] }, b: { dependencies: ['c'] }, c: { dependencies: ['b'] } });
    expect(() => manager.initialize()).toThrow('b → c → b');
  });

  it('reports a self-dependency as a cycle of one', () => {
    const { manager } = managerWith({ selfish: { dependencies: ['selfish'] } });
    expect(() => manager.initialize()).toThrow(CircularDependencyError);
    expect(() => manager.initialize()).toThrow('selfish → selfish');
  });

  it('treats a disabled service that others depend on as missing', async () => {
    const { manager, journal } = managerWith({ db: { enabled: false }, api: { dependencies: ['db'] } });
    const error = await caught<MissingDependencyError>(() => manager.startAll());
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.service).toBe('api');
    expect(error.dependency).toBe('db');
    expect(error.message).toContain('disabled');
    expect(journal).toEqual([]);
  });

  it('leaves a disabled service nobody depends on out of startAll', async () => {
    const { manager, only } = managerWith({ off: { enabled: false }, on: {} });
    await manager.startAll();
    expect(only('start')).toEqual(['on']);
    expect(manager.getService('off').state).toBe(UNINITIALIZED);
  });
});

describe('ServiceManager.startService', () => {
  it('refuses while a dependency is not RUNNING', async () => {
    const { manager, journal } = managerWith(chain);
    const error = await caught<DependencyNotRunningError>(() => manager.startService('b'));
    expect(error).toBeInstanceOf(DependencyNotRunningError);
    expect(error).toBeInstanceOf(ServiceStateError);
    expect(error.code).toBe('LZ_DEPENDENCY_NOT_RUNNING');
    expect(error.service).toBe('b');
    expect(error.dependency).toBe('a');
    expect(error.message).toContain('UNINITIALIZED');
    expect(journal).toEqual([]);
  });

  it('refuses while a dependency is FAILED', async () => {
    const { manager } = managerWith({ a: { onStart: fail('a broke') }, b: { dependencies: ['a'] } });
    await expect(manager.startService('a')).rejects.toThrow('a broke');
    const error = await caught<DependencyNotRunningError>(() => manager.startService('b'));
    expect(error.message).toContain('FAILED');
  });

  it('starts a service once its dependencies run', async () => {
    const { manager } = managerWith(chain);
    await manager.startService('a');
    await manager.startService('b');
    expect(manager.getServiceStatus('b').state).toBe(RUNNING);
  });

  it('refuses to start a disabled service', async () => {
    const { manager, journal } = managerWith({ off: { enabled: false } });
    const error = await caught<ServiceDisabledError>(() => manager.startService('off'));
    expect(error).toBeInstanceOf(ServiceDisabledError);
    expect(error.code).toBe('LZ_SERVICE_DISABLED');
    expect(journal).toEqual([]);
  });

  it('stops just the one service asked for', async () => {
    const { manager, only } = managerWith({ a: {}, b: {} });
    await manager.startAll();
    await manager.stopService('a');
    expect(only('stop')).toEqual(['a']);
    expect(manager.runningServices).toEqual(['b']);
  });
});

describe('ServiceManager.startAll', () => {
  it('keeps going past a failure and reports it', async () => {
    const { manager, only } = managerWith({ a: { onStart: fail('a broke') }, b: {}, c: {} });
    const error = await caught<BulkOperationError>(() => manager.startAll());
    expect(error).toBeInstanceOf(BulkOperationError);
    expect(error.code).toBe('LZ_START_FAILED');
    expect(error.failures.map((f) => [f.service, f.error.message])).toEqual([['a', 'a broke']]);
    expect(only('start')).toEqual(['a', 'b', 'c']);
    expect(manager.runningServices).toEqual(['b', 'c']);
  });

  it('never starts a dependent of a failed service, directly or not', async () => {
    const { manager, only } = managerWith({ ...chain, a: { onStart: fail('root broke') }, x: {} });
    const error = await caught<BulkOperationError>(() => manager.startAll());
    expect(only('start')).toEqual(['a', 'x']);
    expect(error.failures.map((f) => f.service)).toEqual(['a', 'b', 'c']);
    const skipped = error.failures[1]!.error as DependencyFailedError;
    expect(skipped).toBeInstanceOf(DependencyFailedError);
    expect(skipped.code).toBe('LZ_DEPENDENCY_FAILED');
    expect(skipped.dependency).toBe('a');
    expect((error.failures[2]!.error as DependencyFailedError).dependency).toBe('b');
    expect(manager.getService('c').state).toBe(UNINITIALIZED);
  });

  it('reports every failure in its message', async () => {
    const { manager } = managerWith({ a: { onStart: fail('a broke') }, b: { onStart: fail('b broke') } });
    const error = await caught<BulkOperationError>(() => manager.startAll());
    expect(error.failures.map((f) => f.service)).toEqual(['a', 'b']);
    expect(error.message).toContain('2 service(s)');
    expect(error.message).toContain('a broke');
    expect(error.message).toContain('b broke');
  });

  it('leaves each failed service FAILED with its error', async () => {
    const { manager } = managerWith({ a: { onStart: fail('a broke') } });
    await expect(manager.startAll()).rejects.toThrow();
    expect(manager.getServiceStatus('a')).toMatchObject({ state: FAILED, error: 'a broke' });
  });

  it('recovers failed services when called again', async () => {
    let attempts = 0;
    const { manager } = managerWith({ a: { onStart: () => (++attempts === 1 ? Promise.reject(new Error('once')) : undefined) }, b: { dependencies: ['a'] } });
    await expect(manager.startAll()).rejects.toThrow();
    await manager.startAll();
    expect(manager.runningServices).toEqual(['a', 'b']);
  });
});

describe('ServiceManager.stopAll', () => {
  it('stops everything it can and reports failures after', async () => {
    const { manager, only } = managerWith({ ...chain, b: { dependencies: ['a'], onStop: fail('b stuck') } });
    await manager.startAll();
    const error = await caught<BulkOperationError>(() => manager.stopAll());
    expect(error).toBeInstanceOf(BulkOperationError);
    expect(error.code).toBe('LZ_STOP_FAILED');
    expect(error.failures.map((f) => [f.service, f.error.message])).toEqual([['b', 'b stuck']]);
    expect(only('stop')).toEqual(['c', 'b', 'a']);
    expect(manager.getService('a').state).toBe(STOPPED);
    expect(manager.getService('b').state).toBe(FAILED);
  });

  it('also stops a disabled service that was started outside the manager, first', async () => {
    const { manager, only } = managerWith({ a: {}, off: { enabled: false, dependencies: ['a'] } });
    await manager.startAll();
    await manager.getService('off').start();
    await manager.stopAll();
    expect(manager.getService('off').state).toBe(STOPPED);
    expect(only('stop')).toEqual(['off', 'a']);
  });

  it('still stops services whose graph has a cycle', async () => {
    const { manager } = managerWith({ a: {} });
    await manager.startAll();
    manager.registerService(new TestService('x', { dependencies: ['y'] }));
    manager.registerService(new TestService('y', { dependencies: ['x'] }));
    await manager.stopAll();
    expect(manager.getService('a').state).toBe(STOPPED);
  });
});

describe('ServiceManager reset', () => {
  it('resets dependents first, then re-seeds in start order', async () => {
    const { manager, journal } = managerWith(chain);
    await manager.startAll();
    journal.length = 0;
    const order = await manager.resetAll();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(journal).toEqual(['reset:c', 'reset:b', 'reset:a', 'seed:a', 'seed:b', 'seed:c']);
  });

  it('seeds running services in start order without resetting them', async () => {
    const { manager, journal } = managerWith(chain);
    await manager.startAll();
    journal.length = 0;
    await manager.seedAll('worker2');
    expect(journal).toEqual(['seed:a:worker2', 'seed:b:worker2', 'seed:c:worker2']);
  });

  it('passes the namespace to every reset and seed', async () => {
    const { manager, journal } = managerWith({ a: {} });
    await manager.startAll();
    journal.length = 0;
    await manager.resetAll('worker1');
    expect(journal).toEqual(['reset:a:worker1', 'seed:a:worker1']);
  });

  it('skips services that are not running', async () => {
    const { manager, journal } = managerWith({ a: {}, b: {}, c: {} });
    await manager.startAll();
    await manager.stopService('b');
    journal.length = 0;
    expect(await manager.resetAll()).toEqual(['c', 'a']);
    expect(journal).toEqual(['reset:c', 'reset:a', 'seed:a', 'seed:c']);
  });

  it('resets a service and everything that depends on it, dependents first', async () => {
    const { manager, journal } = managerWith({ ...diamond, lone: {} });
    await manager.startAll();
    journal.length = 0;
    expect(await manager.resetService('b')).toEqual(['d', 'b']);
    expect(journal).toEqual(['reset:d', 'reset:b', 'seed:b', 'seed:d']);
  });

  it('resets a whole diamond from its root', async () => {
    const { manager, only } = managerWith(diamond);
    await manager.startAll();
    expect(await manager.resetService('a')).toEqual(['d', 'c', 'b', 'a']);
    expect(only('seed')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses to reset one service that is not running', async () => {
    const { manager } = managerWith({ a: {} });
    const error = await caught<ServiceStateError>(() => manager.resetService('a'));
    expect(error).toBeInstanceOf(ServiceStateError);
    expect(error.code).toBe('LZ_INVALID_STATE');
  });

  it('resets all it can when one reset fails, and reports the failure', async () => {
    const { manager, journal } = managerWith({ a: {}, b: { onReset: fail('b will not empty') }, c: {} });
    await manager.startAll();
    journal.length = 0;
    const error = await caught<BulkOperationError>(() => manager.resetAll());
    expect(error.code).toBe('LZ_RESET_FAILED');
    expect(error.failures.map((f) => f.service)).toEqual(['b']);
    expect(journal).toEqual(['reset:c', 'reset:b', 'reset:a', 'seed:a', 'seed:c']);
  });
});

describe('ServiceManager status and health', () => {
  it('describes one service', async () => {
    const { manager } = managerWith({ a: {}, b: { dependencies: ['a'] } });
    await manager.startService('a');
    expect(manager.getServiceStatus('b')).toEqual({
      name: 'b',
      state: UNINITIALIZED,
      uptime: null,
      enabled: true,
      version: '1.0.0',
      description: 'test service b',
      dependencies: ['a'],
      source: 'registered',
    });
    expect(manager.getServiceStatus('a').uptime).toBeGreaterThanOrEqual(0);
  });

  it('describes every service by name', async () => {
    const { manager } = managerWith({ b: {}, a: { onStart: fail('nope') } });
    await expect(manager.startAll()).rejects.toThrow();
    const all = manager.getAllStatus();
    expect(Object.keys(all)).toEqual(['a', 'b']);
    expect(all.a).toMatchObject({ state: FAILED, error: 'nope' });
    expect(all.b).toMatchObject({ state: RUNNING });
  });

  it('keeps the source it was registered with', () => {
    const manager = new ServiceManager({ logger: recordingLogger() });
    manager.registerService(new TestService('plug'), 'some-plugin');
    expect(manager.getServiceStatus('plug').source).toBe('some-plugin');
  });

  it('lists running and failed services', async () => {
    const { manager } = managerWith({ ok: {}, bad: { onStart: fail('bad') }, idle: { enabled: false } });
    await expect(manager.startAll()).rejects.toThrow();
    expect(manager.runningServices).toEqual(['ok']);
    expect(manager.failedServices).toEqual(['bad']);
    expect(manager.serviceCount).toBe(3);
  });

  it('reports the health of one service', async () => {
    const { manager } = managerWith({ a: { onHealth: () => ({ status: 'degraded' }) } });
    await manager.startAll();
    expect(await manager.getServiceHealth('a')).toEqual({ status: 'degraded' });
  });

  it('reports the health of every service', async () => {
    const { manager } = managerWith({ up: {}, down: {} });
    await manager.startService('up');
    const health = await manager.getAllHealth();
    expect(health.up).toEqual({ status: 'healthy' });
    expect(health.down?.status).toBe('unhealthy');
  });
});

describe('ServiceManager events', () => {
  function record(manager: ServiceManager): ServiceEvent[] {
    const events: ServiceEvent[] = [];
    manager.addEventListener((e) => events.push(e));
    return events;
  }

  it('emits one event per transition with old and new state', async () => {
    const { manager } = managerWith(chain);
    const events = record(manager);
    await manager.startAll();
    await manager.stopAll();
    expect(events.map((e) => `${e.serviceName}:${e.oldState}>${e.newState}`)).toEqual([
      'a:UNINITIALIZED>STARTING',
      'a:STARTING>RUNNING',
      'b:UNINITIALIZED>STARTING',
      'b:STARTING>RUNNING',
      'c:UNINITIALIZED>STARTING',
      'c:STARTING>RUNNING',
      'c:RUNNING>STOPPING',
      'c:STOPPING>STOPPED',
      'b:RUNNING>STOPPING',
      'b:STOPPING>STOPPED',
      'a:RUNNING>STOPPING',
      'a:STOPPING>STOPPED',
    ]);
  });

  it('carries the error on a transition to FAILED and a timestamp on every event', async () => {
    const { manager } = managerWith({ a: { onStart: fail('kaput') } });
    const events = record(manager);
    const before = Date.now();
    await expect(manager.startAll()).rejects.toThrow();
    const failed = events.find((e) => e.newState === FAILED);
    expect(failed?.error?.message).toBe('kaput');
    expect(events.every((e) => e.timestamp instanceof Date && e.timestamp.getTime() >= before)).toBe(true);
  });

  it('tells every listener', async () => {
    const { manager } = managerWith({ a: {} });
    const first = record(manager);
    const second = record(manager);
    await manager.startAll();
    expect(first).toHaveLength(2);
    expect(second).toEqual(first);
  });

  it('logs a listener that throws and goes on with the lifecycle and the other listeners', async () => {
    const { manager, logger } = managerWith({ a: {}, b: { dependencies: ['a'] } });
    manager.addEventListener(() => {
      throw new Error('listener bug');
    });
    const after = record(manager);
    await manager.startAll();
    expect(manager.runningServices).toEqual(['a', 'b']);
    expect(after).toHaveLength(4);
    const errors = logger.lines.filter((l) => l.startsWith('error:') && l.includes('listener bug'));
    expect(errors).toHaveLength(4);
  });

  it('stops telling a removed listener', async () => {
    const { manager } = managerWith({ a: {} });
    const events: ServiceEvent[] = [];
    const listener = (e: ServiceEvent) => events.push(e);
    manager.addEventListener(listener);
    await manager.startAll();
    manager.removeEventListener(listener);
    await manager.stopAll();
    expect(events.map((e) => e.newState)).toEqual(['STARTING', 'RUNNING']);
  });
});
