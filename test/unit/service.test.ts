import { describe, expect, it } from 'vitest';
import {
  LocalZureService,
  ServiceState,
  ServiceStateError,
  isValidTransition,
  type ServiceEvent,
  type ServiceMetadata,
} from '../../src/index.js';
import { caught, deferred, recordingLogger, TestService } from '../support/test-service.js';

const { UNINITIALIZED, STARTING, RUNNING, STOPPING, STOPPED, FAILED } = ServiceState;
const ALL_STATES = Object.values(ServiceState);
const VALID = new Set([
  `${UNINITIALIZED}>${STARTING}`,
  `${STARTING}>${RUNNING}`,
  `${RUNNING}>${STOPPING}`,
  `${STOPPING}>${STOPPED}`,
  `${STOPPED}>${STARTING}`,
  `${FAILED}>${STARTING}`,
  ...ALL_STATES.map((s) => `${s}>${FAILED}`),
]);

function transitions(service: LocalZureService): string[] {
  const seen: string[] = [];
  service.addEventListener((e: ServiceEvent) => seen.push(`${e.oldState}>${e.newState}`));
  return seen;
}

describe('ServiceState transitions', () => {
  const pairs = ALL_STATES.flatMap((from) => ALL_STATES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is valid only if the design lists it', (from, to) => {
    expect(isValidTransition(from, to)).toBe(VALID.has(`${from}>${to}`));
  });
});

describe('LocalZureService lifecycle', () => {
  it('starts in UNINITIALIZED with no error and no uptime', () => {
    const service = new TestService('fresh');
    expect(service.state).toBe(UNINITIALIZED);
    expect(service.error).toBeUndefined();
    expect(service.uptime).toBeNull();
  });

  it('goes UNINITIALIZED → STARTING → RUNNING on start', async () => {
    const service = new TestService('starts');
    const seen = transitions(service);
    await service.start();
    expect(seen).toEqual(['UNINITIALIZED>STARTING', 'STARTING>RUNNING']);
    expect(service.state).toBe(RUNNING);
  });

  it('goes RUNNING → STOPPING → STOPPED on stop', async () => {
    const service = new TestService('stops');
    await service.start();
    const seen = transitions(service);
    await service.stop();
    expect(seen).toEqual(['RUNNING>STOPPING', 'STOPPING>STOPPED']);
    expect(service.state).toBe(STOPPED);
  });

  it('restarts from STOPPED through STARTING', async () => {
    const service = new TestService('restarts');
    await service.start();
    await service.stop();
    const seen = transitions(service);
    await service.start();
    expect(seen).toEqual(['STOPPED>STARTING', 'STARTING>RUNNING']);
    expect(service.journal).toEqual(['start:restarts', 'stop:restarts', 'start:restarts']);
  });

  it('shows STARTING while its start is in progress', async () => {
    const gate = deferred();
    const service = new TestService('slow-start', { onStart: () => gate.promise });
    const starting = service.start();
    expect(service.state).toBe(STARTING);
    gate.resolve();
    await starting;
    expect(service.state).toBe(RUNNING);
  });

  it('shows STOPPING while its stop is in progress', async () => {
    const gate = deferred();
    const service = new TestService('slow-stop', { onStop: () => gate.promise });
    await service.start();
    const stopping = service.stop();
    expect(service.state).toBe(STOPPING);
    gate.resolve();
    await stopping;
    expect(service.state).toBe(STOPPED);
  });

  it('treats start on a running service as a no-op', async () => {
    const service = new TestService('start-twice');
    await service.start();
    const seen = transitions(service);
    await service.start();
    expect(seen).toEqual([]);
    expect(service.journal).toEqual(['start:start-twice']);
  });

  it('treats stop on a stopped service as a no-op', async () => {
    const service = new TestService('stop-twice');
    await service.start();
    await service.stop();
    const seen = transitions(service);
    await service.stop();
    expect(seen).toEqual([]);
    expect(service.journal).toEqual(['start:stop-twice', 'stop:stop-twice']);
  });

  it('treats stop on a service that never started as a no-op', async () => {
    const service = new TestService('never-started');
    await service.stop();
    expect(service.state).toBe(UNINITIALIZED);
    expect(service.journal).toEqual([]);
  });

  it('gives concurrent start calls the same promise and starts once', async () => {
    const gate = deferred();
    const service = new TestService('concurrent-start', { onStart: () => gate.promise });
    const first = service.start();
    const second = service.start();
    expect(second).toBe(first);
    gate.resolve();
    await Promise.all([first, second]);
    expect(service.journal).toEqual(['start:concurrent-start']);
  });

  it('gives concurrent stop calls the same promise and stops once', async () => {
    const gate = deferred();
    const service = new TestService('concurrent-stop', { onStop: () => gate.promise });
    await service.start();
    const first = service.stop();
    expect(service.stop()).toBe(first);
    gate.resolve();
    await first;
    expect(service.journal).toEqual(['start:concurrent-stop', 'stop:concurrent-stop']);
  });

  it('stops after a start in progress finishes when stop is called while STARTING', async () => {
    const gate = deferred();
    const service = new TestService('stop-while-starting', { onStart: () => gate.promise });
    const starting = service.start();
    const stopping = service.stop();
    gate.resolve();
    await Promise.all([starting, stopping]);
    expect(service.state).toBe(STOPPED);
    expect(service.journal).toEqual(['start:stop-while-starting', 'stop:stop-while-starting']);
  });

  it('refuses to start while STOPPING with a ServiceStateError and stays STOPPING', async () => {
    const gate = deferred();
    const service = new TestService('start-while-stopping', { onStop: () => gate.promise });
    await service.start();
    const stopping = service.stop();
    const error = await caught<ServiceStateError>(() => service.start());
    expect(error).toBeInstanceOf(ServiceStateError);
    expect(error.code).toBe('LZ_INVALID_STATE');
    expect(error.message).toContain('STOPPING');
    expect(error.message).toContain('STARTING');
    expect(service.state).toBe(STOPPING);
    gate.resolve();
    await stopping;
  });

  it('rejects rather than throws synchronously on an invalid transition', async () => {
    const gate = deferred();
    const service = new TestService('rejects', { onStop: () => gate.promise });
    await service.start();
    const stopping = service.stop();
    let result: Promise<void> | undefined;
    expect(() => (result = service.start())).not.toThrow();
    await expect(result).rejects.toBeInstanceOf(ServiceStateError);
    gate.resolve();
    await stopping;
  });
});

describe('LocalZureService failures', () => {
  it('goes to FAILED and keeps the error when start throws', async () => {
    const boom = new Error('port exploded');
    const service = new TestService('crashes', { onStart: () => Promise.reject(boom) });
    const seen = transitions(service);
    await expect(service.start()).rejects.toBe(boom);
    expect(service.state).toBe(FAILED);
    expect(service.error).toBe(boom);
    expect(seen).toEqual(['UNINITIALIZED>STARTING', 'STARTING>FAILED']);
  });

  it('wraps a non-Error thrown by start into an Error', async () => {
    const service = new TestService('throws-string', {
      onStart: () => {
        throw 'just a string';
      },
    });
    await expect(service.start()).rejects.toThrow('just a string');
    expect(service.error).toBeInstanceOf(Error);
    expect(service.error?.message).toBe('just a string');
  });

  it('goes to FAILED and keeps the error when stop throws', async () => {
    const boom = new Error('socket stuck');
    const service = new TestService('stop-crashes', { onStop: () => Promise.reject(boom) });
    await service.start();
    const seen = transitions(service);
    await expect(service.stop()).rejects.toBe(boom);
    expect(service.state).toBe(FAILED);
    expect(service.error).toBe(boom);
    expect(seen).toEqual(['RUNNING>STOPPING', 'STOPPING>FAILED']);
  });

  it('recovers from FAILED through STARTING and clears the error', async () => {
    let attempts = 0;
    const service = new TestService('recovers', {
      onStart: () => {
        if (++attempts === 1) throw new Error('first attempt fails');
      },
    });
    await expect(service.start()).rejects.toThrow('first attempt fails');
    const seen = transitions(service);
    await service.start();
    expect(seen).toEqual(['FAILED>STARTING', 'STARTING>RUNNING']);
    expect(service.state).toBe(RUNNING);
    expect(service.error).toBeUndefined();
  });

  it('keeps the error while a recovery attempt is still starting', async () => {
    const gate = deferred();
    let attempts = 0;
    const service = new TestService('recovering', {
      onStart: () => (++attempts === 1 ? Promise.reject(new Error('first')) : gate.promise),
    });
    await expect(service.start()).rejects.toThrow('first');
    const recovering = service.start();
    expect(service.error?.message).toBe('first');
    gate.resolve();
    await recovering;
  });

  it('lets a FAILED service release what it holds on stop and stays FAILED', async () => {
    const service = new TestService('cleanup', { onStart: () => Promise.reject(new Error('half started')) });
    await expect(service.start()).rejects.toThrow();
    await service.stop();
    expect(service.state).toBe(FAILED);
    expect(service.journal).toEqual(['start:cleanup', 'stop:cleanup']);
  });

  it('logs, and does not throw, when cleaning up a FAILED service fails', async () => {
    const logger = recordingLogger();
    const service = new TestService('cleanup-fails', {
      logger,
      onStart: () => Promise.reject(new Error('half started')),
      onStop: () => Promise.reject(new Error('cannot release')),
    });
    await expect(service.start()).rejects.toThrow();
    await service.stop();
    expect(logger.lines.some((l) => l.startsWith('warn:') && l.includes('cannot release'))).toBe(true);
  });

  it('explains which hook is missing when a subclass implements neither onStart nor start', async () => {
    class Bare extends LocalZureService {
      getMetadata(): ServiceMetadata {
        return { name: 'bare', version: '1', description: '', dependencies: [], enabled: true };
      }
    }
    const service = new Bare({ logger: recordingLogger() });
    await expect(service.start()).rejects.toThrow(/Bare does not implement start: override onStart\(\)/);
    expect(service.state).toBe(FAILED);
  });
});

describe('LocalZureService uptime', () => {
  it('reports seconds since reaching RUNNING', async () => {
    const service = new TestService('uptime');
    await service.start();
    expect(service.uptime).toBeGreaterThanOrEqual(0);
    expect(service.uptime).toBeLessThan(60);
  });

  it('is null again once the service stops', async () => {
    const service = new TestService('uptime-stopped');
    await service.start();
    await service.stop();
    expect(service.uptime).toBeNull();
  });

  it('is null while the service is FAILED', async () => {
    const service = new TestService('uptime-failed', { onStart: () => Promise.reject(new Error('no')) });
    await expect(service.start()).rejects.toThrow();
    expect(service.uptime).toBeNull();
  });
});

describe('LocalZureService reset', () => {
  it('calls onReset with the namespace while RUNNING', async () => {
    const service = new TestService('resets');
    await service.start();
    await service.reset('account1');
    await service.reset();
    expect(service.journal).toEqual(['start:resets', 'reset:resets:account1', 'reset:resets']);
  });

  it.each([
    ['never started', async (_s: TestService) => {}],
    ['stopped', async (s: TestService) => (await s.start(), await s.stop())],
  ])('is refused with a ServiceStateError when %s', async (_label, prepare) => {
    const service = new TestService('reset-refused');
    await prepare(service);
    const error = await caught<ServiceStateError>(() => service.reset());
    expect(error).toBeInstanceOf(ServiceStateError);
    expect(error.service).toBe('reset-refused');
    expect(service.journal).not.toContain('reset:reset-refused');
  });
});

describe('LocalZureService health', () => {
  it('reports what onHealth says while RUNNING', async () => {
    const service = new TestService('healthy', { onHealth: () => ({ status: 'degraded', details: { lag: 3 } }) });
    await service.start();
    expect(await service.health()).toEqual({ status: 'degraded', details: { lag: 3 } });
  });

  it('reports unhealthy with the state when not running', async () => {
    const service = new TestService('not-running');
    expect(await service.health()).toEqual({ status: 'unhealthy', details: { state: UNINITIALIZED, error: undefined } });
  });

  it('reports unhealthy with the kept error when FAILED', async () => {
    const service = new TestService('failed-health', { onStart: () => Promise.reject(new Error('disk full')) });
    await expect(service.start()).rejects.toThrow();
    expect(await service.health()).toEqual({ status: 'unhealthy', details: { state: FAILED, error: 'disk full' } });
  });

  it('turns a throwing health check into unhealthy with the reason', async () => {
    const service = new TestService('health-throws', {
      onHealth: () => {
        throw new Error('probe timed out');
      },
    });
    await service.start();
    expect(await service.health()).toEqual({ status: 'unhealthy', details: { error: 'probe timed out' } });
  });
});

describe('LocalZureService events', () => {
  it('stamps every event with the service name, the time and, on failure, the error', async () => {
    const boom = new Error('boom');
    const service = new TestService('stamped', { onStart: () => Promise.reject(boom) });
    const events: ServiceEvent[] = [];
    service.addEventListener((e) => events.push(e));
    const before = Date.now();
    await expect(service.start()).rejects.toThrow();
    expect(events.map((e) => e.serviceName)).toEqual(['stamped', 'stamped']);
    expect(events[0]!.error).toBeUndefined();
    expect(events[1]!.error).toBe(boom);
    for (const e of events) expect(e.timestamp.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('stops telling a listener once it is removed', async () => {
    const service = new TestService('unsubscribed');
    const seen: string[] = [];
    const listener = (e: ServiceEvent) => seen.push(e.newState);
    service.addEventListener(listener);
    await service.start();
    service.removeEventListener(listener);
    await service.stop();
    expect(seen).toEqual([STARTING, RUNNING]);
  });
});

/** Written against the design's names: it overrides the public operations instead of the on* hooks. */
class DirectService extends LocalZureService {
  readonly calls: string[] = [];
  failStart = false;

  getMetadata(): ServiceMetadata {
    return { name: 'direct', version: '1', description: 'overrides start/stop', dependencies: [], enabled: true };
  }

  override async start(): Promise<void> {
    this.calls.push('start');
    if (this.failStart) throw new Error('direct start failed');
  }

  override async stop(): Promise<void> {
    this.calls.push('stop');
  }

  override async reset(namespace?: string): Promise<void> {
    this.calls.push(`reset:${namespace ?? '*'}`);
  }

  override async health() {
    return { status: 'healthy' as const, details: { direct: true } };
  }
}

describe('a subclass that overrides start/stop/reset/health directly', () => {
  it('still goes through the state machine', async () => {
    const service = new DirectService({ logger: recordingLogger() });
    const seen = transitions(service);
    await service.start();
    await service.stop();
    expect(seen).toEqual(['UNINITIALIZED>STARTING', 'STARTING>RUNNING', 'RUNNING>STOPPING', 'STOPPING>STOPPED']);
    expect(service.calls).toEqual(['start', 'stop']);
  });

  it('still becomes FAILED with the error kept when its start throws', async () => {
    const service = new DirectService({ logger: recordingLogger() });
    service.failStart = true;
    await expect(service.start()).rejects.toThrow('direct start failed');
    expect(service.state).toBe(FAILED);
    expect(service.error?.message).toBe('direct start failed');
  });

  it('is still idempotent', async () => {
    const service = new DirectService({ logger: recordingLogger() });
    await service.start();
    await service.start();
    await service.stop();
    await service.stop();
    expect(service.calls).toEqual(['start', 'stop']);
  });

  it('still refuses reset while not running, and runs its own reset while running', async () => {
    const service = new DirectService({ logger: recordingLogger() });
    await expect(service.reset()).rejects.toBeInstanceOf(ServiceStateError);
    await service.start();
    await service.reset('acct');
    expect(service.calls).toEqual(['start', 'reset:acct']);
  });

  it('still reports unhealthy while not running, and its own health while running', async () => {
    const service = new DirectService({ logger: recordingLogger() });
    expect((await service.health()).status).toBe('unhealthy');
    await service.start();
    expect(await service.health()).toEqual({ status: 'healthy', details: { direct: true } });
  });
});
