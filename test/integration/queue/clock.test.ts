import { QueueServiceClient, StorageSharedKeyCredential } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { LocalZureRuntime } from '../../../src/runtime/runtime.js';
import { QueueService } from '../../../src/services/queue/index.js';
import { noRetry, uniqueName, useQueueService } from './support.js';

const lz = useQueueService();
const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

describe('queue service: time follows the service clock', () => {
  it('a received message comes back after its visibility timeout with dequeue count 2, without sleeping', async () => {
    const queue = await lz.newQueue('retry');
    await queue.sendMessage('flaky job');
    const first = (await queue.receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
    expect(first.map((m) => m.dequeueCount)).toEqual([1]);
    expect((await queue.receiveMessages()).receivedMessageItems).toEqual([]);

    lz.clock.advance(30 * SECOND);

    const second = (await queue.receiveMessages()).receivedMessageItems;
    expect(second.map((m) => [m.messageId, m.messageText, m.dequeueCount])).toEqual([[first[0]!.messageId, 'flaky job', 2]]);
  });

  it('a received message stays hidden until its visibility timeout has passed', async () => {
    const queue = await lz.newQueue('edge');
    await queue.sendMessage('m');
    await queue.receiveMessages({ visibilityTimeout: 10 });
    lz.clock.advance(9 * SECOND);
    expect((await queue.peekMessages()).peekedMessageItems).toEqual([]);
    lz.clock.advance(SECOND);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(1);
  });

  it('a message sent with a visibility timeout appears once the clock passes it', async () => {
    const queue = await lz.newQueue('delay');
    const sent = await queue.sendMessage('scheduled', { visibilityTimeout: 3600 });
    expect(sent.nextVisibleOn.getTime() - sent.insertedOn.getTime()).toBe(3600 * SECOND);
    expect((await queue.receiveMessages()).receivedMessageItems).toEqual([]);
    lz.clock.advance(3600 * SECOND);
    expect((await queue.receiveMessages()).receivedMessageItems.map((m) => m.messageText)).toEqual(['scheduled']);
  });

  it('insertion and next-visible times are read from the clock', async () => {
    const queue = await lz.newQueue('times');
    lz.clock.advance(DAY);
    const before = Math.floor(lz.clock.now() / SECOND) * SECOND;
    const sent = await queue.sendMessage('stamped');
    expect(sent.insertedOn.getTime()).toBeGreaterThanOrEqual(before);
    expect(sent.insertedOn.getTime()).toBeGreaterThan(Date.now());
  });

  it('a message expires when its time-to-live passes and stops counting', async () => {
    const queue = await lz.newQueue('ttl');
    await queue.sendMessage('short', { messageTimeToLive: 60 });
    await queue.sendMessage('long');
    lz.clock.advance(60 * SECOND);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
    expect((await queue.peekMessages({ numberOfMessages: 5 })).peekedMessageItems.map((m) => m.messageText)).toEqual(['long']);
  });

  it('the default time-to-live is seven days', async () => {
    const queue = await lz.newQueue('week');
    await queue.sendMessage('weekly');
    lz.clock.advance(7 * DAY - SECOND);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
    lz.clock.advance(SECOND);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('a message sent with a time-to-live of -1 outlives any clock move', async () => {
    const queue = await lz.newQueue('never');
    await queue.sendMessage('forever', { messageTimeToLive: -1 });
    lz.clock.advance(3650 * DAY);
    expect((await queue.peekMessages()).peekedMessageItems.map((m) => m.messageText)).toEqual(['forever']);
  });

  it('an expired message can no longer be deleted or updated: 404 MessageNotFound', async () => {
    const queue = await lz.newQueue('expired');
    const sent = await queue.sendMessage('brief', { messageTimeToLive: 5 });
    lz.clock.advance(5 * SECOND);
    await expect(queue.deleteMessage(sent.messageId, sent.popReceipt)).rejects.toMatchObject({ statusCode: 404, details: { errorCode: 'MessageNotFound' } });
    await expect(queue.updateMessage(sent.messageId, sent.popReceipt, 'x', 0)).rejects.toMatchObject({ statusCode: 404, details: { errorCode: 'MessageNotFound' } });
  });

  it('an update hides the message for its new visibility timeout', async () => {
    const queue = await lz.newQueue('extend');
    await queue.sendMessage('long job');
    const [message] = (await queue.receiveMessages({ visibilityTimeout: 30 })).receivedMessageItems;
    await queue.updateMessage(message!.messageId, message!.popReceipt, undefined, 120);
    lz.clock.advance(119 * SECOND);
    expect((await queue.receiveMessages()).receivedMessageItems).toEqual([]);
    lz.clock.advance(SECOND);
    expect((await queue.receiveMessages()).receivedMessageItems.map((m) => m.dequeueCount)).toEqual([2]);
  });
});

describe('queue service: the runtime clock (POST /_localzure/clock)', () => {
  let runtime: LocalZureRuntime;
  let client: QueueServiceClient;

  beforeAll(async () => {
    runtime = new LocalZureRuntime();
    runtime.manager.registerService(new QueueService(runtime.manager.context));
    await runtime.start(['queue']);
    client = new QueueServiceClient(runtime.endpoints().queue!.url, new StorageSharedKeyCredential(DEFAULT_ACCOUNT.name, DEFAULT_ACCOUNT.key), noRetry);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('advancing the clock over the control API makes a received message visible again', async () => {
    const queue = client.getQueueClient(uniqueName('control'));
    await queue.create();
    await queue.sendMessage('job');
    await queue.receiveMessages({ visibilityTimeout: 30 });
    const response = await fetch(`${runtime.controlUrl}/_localzure/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 30_000 }) });
    expect(response.status).toBe(200);
    expect((await queue.receiveMessages()).receivedMessageItems.map((m) => m.dequeueCount)).toEqual([2]);
  });
});
