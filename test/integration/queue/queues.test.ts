import { describe, expect, it } from 'vitest';
import { QueueServiceClient } from '@azure/storage-queue';
import { errorOf, noRetry, uniqueName, useQueueService } from './support.js';

const lz = useQueueService();

describe('queue service: queues', () => {
  it('creates a queue that then exists', async () => {
    const queue = lz.client.getQueueClient(uniqueName('create'));
    expect(await queue.exists()).toBe(false);
    const created = await queue.create();
    expect(created._response.status).toBe(201);
    expect(await queue.exists()).toBe(true);
  });

  it('answers 204 when the queue exists with the same metadata', async () => {
    const queue = lz.client.getQueueClient(uniqueName('same'));
    await queue.create({ metadata: { team: 'payments' } });
    const again = await queue.create({ metadata: { team: 'payments' } });
    expect(again._response.status).toBe(204);
  });

  it('answers 409 QueueAlreadyExists when the queue exists with other metadata', async () => {
    const queue = lz.client.getQueueClient(uniqueName('other'));
    await queue.create({ metadata: { team: 'payments' } });
    expect(await errorOf(queue.create({ metadata: { team: 'billing' } }))).toEqual({ statusCode: 409, code: 'QueueAlreadyExists' });
    expect(await errorOf(queue.create())).toEqual({ statusCode: 409, code: 'QueueAlreadyExists' });
  });

  it('createIfNotExists reports whether it created the queue', async () => {
    const queue = lz.client.getQueueClient(uniqueName('ifnot'));
    expect((await queue.createIfNotExists()).succeeded).toBe(true);
    expect((await queue.createIfNotExists()).succeeded).toBe(false);
  });

  it.each([
    ['UpperCase', 400, 'InvalidResourceName'],
    ['double--hyphen', 400, 'InvalidResourceName'],
    ['-leading-hyphen', 400, 'InvalidResourceName'],
    ['trailing-hyphen-', 400, 'InvalidResourceName'],
    ['under_score', 400, 'InvalidResourceName'],
    ['ab', 400, 'OutOfRangeInput'],
    ['a'.repeat(64), 400, 'OutOfRangeInput'],
  ])('refuses the queue name %s with %i %s', async (name, statusCode, code) => {
    expect(await errorOf(lz.client.getQueueClient(name).create())).toEqual({ statusCode, code });
  });

  it('deletes a queue, and a second delete answers 404 QueueNotFound', async () => {
    const queue = await lz.newQueue('delete');
    expect((await queue.delete())._response.status).toBe(204);
    expect(await queue.exists()).toBe(false);
    expect(await errorOf(queue.delete())).toEqual({ statusCode: 404, code: 'QueueNotFound' });
    expect((await queue.deleteIfExists()).succeeded).toBe(false);
  });

  it('getProperties returns the metadata and the approximate message count, hidden messages included', async () => {
    const queue = lz.client.getQueueClient(uniqueName('props'));
    await queue.create({ metadata: { owner: 'tests' } });
    await queue.sendMessage('visible');
    await queue.sendMessage('hidden', { visibilityTimeout: 60 });
    const properties = await queue.getProperties();
    expect(properties.metadata).toEqual({ owner: 'tests' });
    expect(properties.approximateMessagesCount).toBe(2);
  });

  it('getProperties of a missing queue answers 404 QueueNotFound', async () => {
    expect(await errorOf(lz.client.getQueueClient(uniqueName('missing')).getProperties())).toEqual({ statusCode: 404, code: 'QueueNotFound' });
  });

  it('setMetadata replaces the metadata, and no metadata clears it', async () => {
    const queue = lz.client.getQueueClient(uniqueName('meta'));
    await queue.create({ metadata: { old: 'value' } });
    await queue.setMetadata({ fresh: 'one' });
    expect((await queue.getProperties()).metadata).toEqual({ fresh: 'one' });
    await queue.setMetadata();
    expect((await queue.getProperties()).metadata).toEqual({});
  });

  it('refuses metadata names that are not C# identifiers with 400 InvalidMetadata', async () => {
    const queue = await lz.newQueue('badmeta');
    expect(await errorOf(queue.setMetadata({ 'not-an-identifier': 'x' }))).toEqual({ statusCode: 400, code: 'InvalidMetadata' });
  });

  it('stores access policies and answers them back', async () => {
    const queue = await lz.newQueue('acl');
    const startsOn = new Date('2030-01-01T00:00:00Z');
    const expiresOn = new Date('2030-02-01T00:00:00Z');
    await queue.setAccessPolicy([{ id: 'workers', accessPolicy: { permissions: 'rp', startsOn, expiresOn } }]);
    const { signedIdentifiers } = await queue.getAccessPolicy();
    expect(signedIdentifiers).toHaveLength(1);
    expect(signedIdentifiers[0]!.id).toBe('workers');
    expect(signedIdentifiers[0]!.accessPolicy?.permissions).toBe('rp');
    expect(new Date(signedIdentifiers[0]!.accessPolicy!.startsOn!).getTime()).toBe(startsOn.getTime());
    expect(new Date(signedIdentifiers[0]!.accessPolicy!.expiresOn!).getTime()).toBe(expiresOn.getTime());
  });

  it('refuses more than five access policies with 400 InvalidXmlDocument', async () => {
    const queue = await lz.newQueue('acl6');
    const policies = Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, accessPolicy: { permissions: 'r' } }));
    expect(await errorOf(queue.setAccessPolicy(policies))).toEqual({ statusCode: 400, code: 'InvalidXmlDocument' });
  });
});

describe('queue service: listing and service properties', () => {
  it('lists queues by prefix, page by page, with metadata when asked', async () => {
    const prefix = uniqueName('list');
    for (const n of [1, 2, 3]) await lz.client.getQueueClient(`${prefix}-${n}`).create({ metadata: { n: String(n) } });
    const pages = [];
    for await (const page of lz.client.listQueues({ prefix, includeMetadata: true }).byPage({ maxPageSize: 2 })) {
      pages.push(page.queueItems?.map((q) => ({ name: q.name, metadata: q.metadata })));
    }
    expect(pages).toEqual([
      [
        { name: `${prefix}-1`, metadata: { n: '1' } },
        { name: `${prefix}-2`, metadata: { n: '2' } },
      ],
      [{ name: `${prefix}-3`, metadata: { n: '3' } }],
    ]);
  });

  it('leaves metadata out of the listing unless asked', async () => {
    const name = uniqueName('nometa');
    await lz.client.getQueueClient(name).create({ metadata: { secret: 'x' } });
    const names = [];
    for await (const queue of lz.client.listQueues({ prefix: name })) names.push(queue);
    expect(names).toEqual([{ name }]);
  });

  it('refuses maxresults of zero with 400 OutOfRangeQueryParameterValue', async () => {
    const page = lz.client.listQueues().byPage({ maxPageSize: 0 }).next();
    expect(await errorOf(page)).toEqual({ statusCode: 400, code: 'OutOfRangeQueryParameterValue' });
  });

  it('keeps service properties that were set and leaves the rest as they were', async () => {
    const cors = [{ allowedOrigins: 'https://app.example', allowedMethods: 'GET,PUT', allowedHeaders: 'x-ms-*', exposedHeaders: '*', maxAgeInSeconds: 300 }];
    await lz.client.setProperties({ cors });
    await lz.client.setProperties({ minuteMetrics: { version: '1.0', enabled: false, retentionPolicy: { enabled: false } } });
    const properties = await lz.client.getProperties();
    expect(properties.cors).toEqual(cors);
    expect(properties.queueAnalyticsLogging?.read).toBe(false);
  });

  it('answers service statistics on the secondary endpoint only', async () => {
    const secondary = new QueueServiceClient(lz.url.replace(/\/devstoreaccount1$/, '/devstoreaccount1-secondary'), lz.credential, noRetry);
    expect((await secondary.getStatistics()).geoReplication?.status).toBe('live');
    expect(await errorOf(lz.client.getStatistics())).toEqual({ statusCode: 400, code: 'InvalidQueryParameterValue' });
  });
});
