import type { QueueGetPropertiesResponse, QueueItem } from '@azure/storage-queue';
import { attempt, pagesOf, withStatus } from './harness/observe.js';
import type { AzuriteDifference } from './harness/scenario.js';
import { queueConformance } from './queue-harness.js';

/** Azurite stores any metadata name on a queue. */
const invalidMetadata: AzuriteDifference = {
  reference: 'https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata',
  quote: 'Metadata names must adhere to the naming rules for C# identifiers.',
  expected: () => ({ create: { status: 400, code: 'InvalidMetadata', errorCode: 'InvalidMetadata' } }),
};

const queueProperties = (p: QueueGetPropertiesResponse) => ({ metadata: p.metadata, approximateMessagesCount: p.approximateMessagesCount });
const listed = (q: QueueItem) => ({ name: q.name, metadata: q.metadata });

queueConformance('queues', (scenario) => {
  scenario('create answers 201 and the queue then exists', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    return { before: await queue.exists(), create: await attempt(() => queue.create()), after: await queue.exists() };
  });

  scenario('creating an existing queue with the same metadata answers 204', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create({ metadata: { team: 'a' } });
    return { again: await attempt(() => queue.create({ metadata: { team: 'a' } })) };
  });

  scenario('creating an existing queue with other metadata answers 409 QueueAlreadyExists', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create({ metadata: { team: 'a' } });
    return { again: await attempt(() => queue.create({ metadata: { team: 'b' } })), noMetadata: await attempt(() => queue.create()) };
  });

  scenario('createIfNotExists creates once and then reports the existing queue', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    const pick = (r: { succeeded: boolean }) => ({ succeeded: r.succeeded });
    return { first: await attempt(() => queue.createIfNotExists(), pick), second: await attempt(() => queue.createIfNotExists(), pick) };
  });

  scenario('queue names outside the rules are refused', async (client) => {
    const create = (name: string) => attempt(() => client.getQueueClient(name).create());
    return {
      upper: await create('UpperCase'),
      doubleHyphen: await create('double--hyphen'),
      leadingHyphen: await create('-leading'),
      short: await create('ab'),
      long: await create('a'.repeat(64)),
      underscore: await create('under_score'),
    };
  });

  scenario('delete answers 204 and a missing queue 404 QueueNotFound', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create();
    return { delete: await attempt(() => queue.delete()), exists: await queue.exists(), again: await attempt(() => queue.delete()) };
  });

  scenario('getProperties returns metadata and the approximate message count', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create({ metadata: { owner: 'conformance' } });
    await queue.sendMessage('one');
    await queue.sendMessage('two', { visibilityTimeout: 60 });
    return { properties: await attempt(() => queue.getProperties(), withStatus(queueProperties)) };
  });

  scenario('getProperties of a missing queue answers 404 QueueNotFound', async (client, names) => {
    return { properties: await attempt(() => client.getQueueClient(names.queue()).getProperties()) };
  });

  scenario('setMetadata replaces all metadata', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create({ metadata: { old: 'value' } });
    return {
      set: await attempt(() => queue.setMetadata({ fresh: 'one', second: 'two' })),
      properties: await attempt(() => queue.getProperties(), withStatus(queueProperties)),
      cleared: await attempt(() => queue.setMetadata()),
      after: await attempt(() => queue.getProperties(), withStatus(queueProperties)),
    };
  });

  scenario('metadata names that are not identifiers answer 400 InvalidMetadata', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    return { create: await attempt(() => queue.create({ metadata: { '1bad': 'x' } })) };
  }, { knownAzuriteDifference: invalidMetadata });

  scenario('access policies round-trip', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create();
    const policy = { id: 'readers', accessPolicy: { permissions: 'raup', startsOn: new Date('2030-01-01T00:00:00Z'), expiresOn: new Date('2030-01-02T00:00:00Z') } };
    return {
      set: await attempt(() => queue.setAccessPolicy([policy])),
      get: await attempt(() => queue.getAccessPolicy(), (r) => ({
        identifiers: r.signedIdentifiers.map((s) => ({
          id: s.id,
          permissions: s.accessPolicy?.permissions,
          startsOn: s.accessPolicy?.startsOn ? new Date(s.accessPolicy.startsOn).toISOString() : undefined,
          expiresOn: s.accessPolicy?.expiresOn ? new Date(s.accessPolicy.expiresOn).toISOString() : undefined,
        })),
      })),
    };
  });

  scenario('more than five access policies answer 400', async (client, names) => {
    const queue = client.getQueueClient(names.queue());
    await queue.create();
    const policies = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, accessPolicy: { permissions: 'r' } }));
    return { set: await attempt(() => queue.setAccessPolicy(policies)) };
  });

  scenario('listing by prefix pages through queues with their metadata', async (client, names) => {
    const created = [names.queue(), names.queue(), names.queue()];
    for (const [i, name] of created.entries()) await client.getQueueClient(name).create({ metadata: { index: String(i) } });
    const prefix = created[0]!.slice(0, created[0]!.lastIndexOf('-'));
    return {
      pages: await pagesOf(client.listQueues({ prefix, includeMetadata: true }).byPage({ maxPageSize: 2 }), (page) => ({
        names: page.queueItems?.map(listed),
        more: page.continuationToken !== '',
      })),
    };
  });

  scenario('listing without metadata leaves it out', async (client, names) => {
    const name = names.queue();
    await client.getQueueClient(name).create({ metadata: { hidden: 'yes' } });
    const page = await client.listQueues({ prefix: name }).byPage().next();
    return { items: page.value.queueItems?.map(listed) };
  });

  scenario('service properties round-trip', async (client) => {
    const logging = { version: '1.0', deleteProperty: true, read: false, write: true, retentionPolicy: { enabled: true, days: 3 } };
    const cors = [{ allowedOrigins: 'https://example.com', allowedMethods: 'GET', allowedHeaders: '*', exposedHeaders: '*', maxAgeInSeconds: 60 }];
    return {
      set: await attempt(() => client.setProperties({ cors, queueAnalyticsLogging: logging })),
      get: await attempt(() => client.getProperties(), (p) => ({ cors: p.cors?.map((c) => ({ ...c })), logging: { ...p.queueAnalyticsLogging, retentionPolicy: { ...p.queueAnalyticsLogging?.retentionPolicy } } })),
    };
  });
});
