import { ServiceBusClient, isServiceBusError, type ServiceBusClientOptions } from '@azure/service-bus';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import { RequestJournal } from '../../../src/core/request-journal.js';
import { FaultInjector } from '../../../src/core/fault-injector.js';
import { ServiceBusService } from '../../../src/services/servicebus/index.js';

/** Errors surface at once instead of after the SDK's backoff. */
export const noRetry: ServiceBusClientOptions = { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } };

export interface ServiceBusFixture {
  service: ServiceBusService;
  /** The emulators' clock: advance it to expire locks, TTLs and schedules. */
  clock: AdjustableClock;
  namespaces: NamespaceRegistry;
  journal: RequestJournal;
  faults: FaultInjector;
  /** `Endpoint=sb://127.0.0.1:<port>;...;UseDevelopmentEmulator=true` for the default namespace. */
  connectionString: string;
  /** A client on the default namespace, closed after the file. */
  client: ServiceBusClient;
}

/**
 * Starts a ServiceBusService with `entities` as its seed for the test file,
 * empties its namespace before each test (entities stay) and stops it after.
 */
export function useServiceBus(entities: unknown, options: ServiceBusClientOptions = {}): ServiceBusFixture {
  const fixture = {} as ServiceBusFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.namespaces = new NamespaceRegistry();
    fixture.journal = new RequestJournal();
    fixture.faults = new FaultInjector();
    fixture.service = new ServiceBusService({
      clock: fixture.clock,
      namespaces: fixture.namespaces,
      journal: fixture.journal,
      faults: fixture.faults,
      seed: { data: { servicebus: entities } },
    });
    await fixture.service.start();
    fixture.connectionString = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!;
    fixture.client = new ServiceBusClient(fixture.connectionString, options);
  });
  beforeEach(async () => {
    await fixture.service.reset(DEFAULT_ACCOUNT.name);
  });
  afterAll(async () => {
    await fixture.client?.close();
    await fixture.service?.stop();
  });
  return fixture;
}

/** The Service Bus error code (`MessageLockLost`, ...) a call failed with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isServiceBusError(error)) return error.code;
    throw error;
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
