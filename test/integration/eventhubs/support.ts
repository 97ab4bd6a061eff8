import { EventHubConsumerClient, EventHubProducerClient, type ReceivedEventData, type Subscription, type SubscriptionEventHandlers } from '@azure/event-hubs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { FaultInjector } from '../../../src/core/fault-injector.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import { RequestJournal } from '../../../src/core/request-journal.js';
import { ServiceManager } from '../../../src/core/service-manager.js';
import { BlobService } from '../../../src/services/blob/index.js';
import { EventHubsService } from '../../../src/services/eventhubs/index.js';

/** Errors surface at once instead of after the SDK's backoff. */
export const noRetry = { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } };

export interface EventHubsFixture {
  manager: ServiceManager;
  service: EventHubsService;
  /** The emulators' clock: advance it to expire retention and tokens. */
  clock: AdjustableClock;
  journal: RequestJournal;
  faults: FaultInjector;
  /** `Endpoint=sb://127.0.0.1:<port>;...;UseDevelopmentEmulator=true` for the default namespace. */
  connectionString: string;
  /** For `BlobServiceClient.fromConnectionString`, where checkpoints go. */
  storageConnectionString: string;
  /** Clients made through `producer()` / `consumer()`, closed after each test. */
  clients: { close(): Promise<void> }[];
  producer(hub: string): EventHubProducerClient;
  consumer(hub: string, group?: string): EventHubConsumerClient;
}

/**
 * Starts blob and eventhubs through a ServiceManager (blob first: eventhubs
 * depends on it) with `hubs` as the Event Hubs seed, resets the default
 * namespace before each test and stops everything after the file.
 */
export function useEventHubs(hubs: Record<string, { partitionCount?: number; consumerGroups?: string[]; retentionInHours?: number }>): EventHubsFixture {
  const fixture = { clients: [] as { close(): Promise<void> }[] } as EventHubsFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.journal = new RequestJournal();
    fixture.faults = new FaultInjector();
    fixture.manager = new ServiceManager({
      clock: fixture.clock,
      namespaces: new NamespaceRegistry(),
      journal: fixture.journal,
      faults: fixture.faults,
      seed: { data: { eventhubs: { hubs } } },
    });
    fixture.service = new EventHubsService(fixture.manager.context);
    fixture.manager.registerServices([fixture.service, new BlobService(fixture.manager.context)]);
    await fixture.manager.startAll();
    fixture.connectionString = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!.connectionString!;
    const blob = fixture.manager.getService('blob').getEndpoint(DEFAULT_ACCOUNT)!;
    fixture.storageConnectionString = `DefaultEndpointsProtocol=http;AccountName=${DEFAULT_ACCOUNT.name};AccountKey=${DEFAULT_ACCOUNT.key};BlobEndpoint=${blob.url};`;
    fixture.producer = (hub) => track(new EventHubProducerClient(fixture.connectionString, hub, noRetry));
    fixture.consumer = (hub, group = '$Default') => track(new EventHubConsumerClient(group, fixture.connectionString, hub, noRetry));
  });
  const track = <T extends { close(): Promise<void> }>(client: T): T => {
    fixture.clients.push(client);
    return client;
  };
  beforeEach(async () => {
    await Promise.all(fixture.clients.splice(0).map((c) => c.close()));
    await fixture.manager.resetAll();
  });
  afterAll(async () => {
    await Promise.all(fixture.clients.splice(0).map((c) => c.close()));
    await fixture.manager?.stopAll();
  });
  return fixture;
}

/**
 * Subscribes until `count` events arrived (or `timeoutMs` passed) and returns
 * them; the first processError rejects.
 */
export async function receive(
  subscribe: (handlers: SubscriptionEventHandlers) => Subscription,
  count: number,
  timeoutMs = 5_000,
): Promise<ReceivedEventData[]> {
  const received: ReceivedEventData[] = [];
  let subscription: Subscription | undefined;
  try {
    return await new Promise<ReceivedEventData[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Received ${received.length} of ${count} events in ${timeoutMs} ms.`)), timeoutMs);
      subscription = subscribe({
        processEvents: async (events) => {
          received.push(...events);
          if (received.length >= count) {
            clearTimeout(timer);
            resolve(received);
          }
        },
        processError: async (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  } finally {
    await subscription?.close();
  }
}

/** The error `promise` failed with; fails the test when it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('Expected the call to fail, but it succeeded.');
}
