import { createHmac, randomBytes } from 'node:crypto';
import { CosmosClient, type Container, type CosmosClientOptions, type Database } from '@azure/cosmos';
import { afterAll, beforeAll } from 'vitest';
import { AdjustableClock } from '../../../src/core/clock.js';
import { FaultInjector } from '../../../src/core/fault-injector.js';
import { DEFAULT_ACCOUNT, NamespaceRegistry } from '../../../src/core/namespaces.js';
import { RequestJournal } from '../../../src/core/request-journal.js';
import type { ServiceContext } from '../../../src/core/service.js';
import { CosmosDbService } from '../../../src/services/cosmosdb/index.js';

/** No retries on throttling: an error must surface at once, not after the SDK's backoff. */
export const noRetries: Partial<CosmosClientOptions> = { connectionPolicy: { retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 0 } } };

export interface CosmosFixture {
  service: CosmosDbService;
  clock: AdjustableClock;
  namespaces: NamespaceRegistry;
  journal: RequestJournal;
  faults: FaultInjector;
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  connectionString: string;
  client: CosmosClient;
  /** A database for this test file, created once. */
  database: Database;
}

/**
 * Starts a CosmosDbService on a random port for the test file and stops it
 * after. Read the fixture's fields inside tests (they are filled in beforeAll).
 */
export function useCosmos(context: Partial<ServiceContext> = {}): CosmosFixture {
  const fixture = {} as CosmosFixture;
  beforeAll(async () => {
    fixture.clock = new AdjustableClock();
    fixture.namespaces = new NamespaceRegistry();
    fixture.journal = new RequestJournal();
    fixture.faults = new FaultInjector();
    fixture.service = new CosmosDbService({ clock: fixture.clock, namespaces: fixture.namespaces, journal: fixture.journal, faults: fixture.faults, ...context });
    await fixture.service.start();
    const endpoint = fixture.service.getEndpoint(DEFAULT_ACCOUNT)!;
    fixture.endpoint = endpoint.url;
    fixture.connectionString = endpoint.connectionString!;
    fixture.client = new CosmosClient(fixture.connectionString);
    fixture.database = (await fixture.client.databases.createIfNotExists({ id: uniqueId('db') })).database;
  });
  afterAll(async () => {
    fixture.client?.dispose();
    await fixture.service?.stop();
  });
  return fixture;
}

let counter = 0;

export function uniqueId(prefix = 'x'): string {
  counter += 1;
  return `${prefix}${counter}-${randomBytes(4).toString('hex')}`;
}

/** A fresh container partitioned on `/pk` unless told otherwise. */
export async function freshContainer(fixture: CosmosFixture, definition: Record<string, unknown> = {}): Promise<Container> {
  const { container } = await fixture.database.containers.create({ id: uniqueId('c'), partitionKey: { paths: ['/pk'] }, ...definition });
  return container;
}

export function keyOf(connectionString: string): string {
  return /AccountKey=([^;]+);/.exec(connectionString)![1]!;
}

/**
 * A request signed with the fixture's key the way the SDK signs it, for
 * wire checks the SDK would never send. `path` has no leading slash.
 */
export async function signedFetch(fixture: CosmosFixture, method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const segments = path === '' ? [] : path.split('/');
  const odd = segments.length % 2 === 1;
  const resourceType = segments.length === 0 ? '' : odd ? segments[segments.length - 1]! : segments[segments.length - 2]!;
  const link = odd ? segments.slice(0, -1).join('/') : segments.join('/');
  const date = new Date().toUTCString();
  const payload = `${method.toLowerCase()}\n${resourceType}\n${link}\n${date.toLowerCase()}\n\n`;
  const sig = createHmac('sha256', Buffer.from(keyOf(fixture.connectionString), 'base64')).update(payload).digest('base64');
  return fetch(`${fixture.endpoint}${path}`, {
    method,
    body: init.body,
    headers: { authorization: encodeURIComponent(`type=master&ver=1.0&sig=${sig}`), 'x-ms-date': date, ...init.headers },
  });
}
