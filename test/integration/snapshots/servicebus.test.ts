import { ServiceBusClient, type ServiceBusReceivedMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { restore, snapshot, type Environment } from '../../../src/index.js';
import { ServiceBusService } from '../../../src/services/servicebus/index.js';
import { useControlRuntime } from '../control/support.js';
import { itSharesSnapshotBehaviour } from './support.js';

const ENTITIES = {
  queues: ['work', { name: 'orders', properties: { RequiresSession: true } }, { name: 'dedup', properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT10M' } }],
  topics: { events: { subscriptions: ['all'] } },
};
const lz = useControlRuntime({ seed: { data: { servicebus: ENTITIES } } }, { servicebus: ServiceBusService });

async function withClient<T>(env: Environment, use: (client: ServiceBusClient) => Promise<T>): Promise<T> {
  const client = new ServiceBusClient(env.connectionStrings.servicebus!, { retryOptions: { maxRetries: 0, timeoutInMs: 5_000 } });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

const describeMessage = (m: ServiceBusReceivedMessage) => `${String(m.sequenceNumber)}:${m.state}:${JSON.stringify(m.body)}`;

async function peek(client: ServiceBusClient, queue: string, options: { subQueueType?: 'deadLetter' } = {}): Promise<string[]> {
  const receiver = client.createReceiver(queue, options);
  const messages = await receiver.peekMessages(50);
  await receiver.close();
  return messages.map(describeMessage);
}

/** Every kind of state a namespace keeps: active, deferred, scheduled and dead-lettered messages, a session with state, duplicate history, a topic's copy. */
async function baseline(env: Environment): Promise<void> {
  await withClient(env, async (client) => {
    await client.createSender('work').sendMessages([{ body: 'one' }, { body: 'two' }, { body: 'to-defer' }, { body: 'to-dead-letter' }]);
    const receiver = client.createReceiver('work');
    const [one, two, defer, dead] = await receiver.receiveMessages(4, { maxWaitTimeInMs: 2_000 });
    for (const message of [one!, two!]) await receiver.abandonMessage(message);
    await receiver.deferMessage(defer!);
    await receiver.deadLetterMessage(dead!, { deadLetterReason: 'bad', deadLetterErrorDescription: 'for the snapshot' });
    await receiver.close();
    await client.createSender('work').scheduleMessages({ body: 'later' }, new Date(Date.now() + 3600_000));
    await client.createSender('orders').sendMessages([{ body: 'a1', sessionId: 'a' }, { body: 'a2', sessionId: 'a' }]);
    const session = await client.acceptSession('orders', 'a');
    await session.setSessionState('state of a');
    await session.close();
    await client.createSender('dedup').sendMessages({ body: 'first', messageId: 'm-1' });
    await client.createSender('events').sendMessages({ body: 'event' });
  });
}

async function contents(env: Environment) {
  return withClient(env, async (client) => {
    const session = await client.acceptSession('orders', 'a');
    const sessionState = String(await session.getSessionState());
    const sessionMessages = (await session.peekMessages(10)).map((m) => m.body);
    await session.close();
    // A duplicate of a message sent before the snapshot is dropped, so the history came back.
    await client.createSender('dedup').sendMessages({ body: 'again', messageId: 'm-1' });
    return {
      work: await peek(client, 'work'),
      deadLetters: await peek(client, 'work', { subQueueType: 'deadLetter' }),
      sessionState,
      sessionMessages,
      dedup: (await peek(client, 'dedup')).map((m) => m.split(':').at(-1)),
      subscription: (await peek(client, 'events/Subscriptions/all')).map((m) => m.split(':').at(-1)),
    };
  });
}

async function changeEverything(env: Environment): Promise<void> {
  await withClient(env, async (client) => {
    // Exact counts, so no receive waits for more than there is.
    for (const [queue, count] of [['work', 2], ['dedup', 1], ['events/Subscriptions/all', 1]] as const) {
      await client.createReceiver(queue, { receiveMode: 'receiveAndDelete' }).receiveMessages(count, { maxWaitTimeInMs: 2_000 });
    }
    const session = await client.acceptSession('orders', 'a', { receiveMode: 'receiveAndDelete' });
    await session.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    await session.setSessionState('changed');
    await session.close();
    await client.createSender('work').sendMessages({ body: 'after the snapshot' });
  });
}

describe('Service Bus snapshots', () => {
  it('puts back messages in every state, sessions with their state, and duplicate history, as often as asked', async () => {
    const env = await lz.worker('sb1');
    await baseline(env);
    const saved = await contents(env);
    expect(saved.work).toHaveLength(4);
    expect(await snapshot('baseline', env)).toMatchObject({ services: ['servicebus'] });
    for (let round = 0; round < 2; round++) {
      await changeEverything(env);
      await restore('baseline', env);
      expect(await contents(env)).toEqual(saved);
    }
  });

  it('drops locks: a message locked when saved is free again after a restore, and its old lock is lost', async () => {
    const env = await lz.worker('sb2');
    await withClient(env, async (client) => {
      await client.createSender('work').sendMessages({ body: 'held' });
      const holder = client.createReceiver('work');
      const [held] = await holder.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
      await snapshot('locked', env);
      await restore('locked', env);
      await expect(holder.completeMessage(held!)).rejects.toMatchObject({ code: 'MessageLockLost' });
      const [again] = await client.createReceiver('work', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2_000 });
      expect(again?.body).toBe('held');
      expect(again?.deliveryCount).toBe(1);
    });
  });

  it('keeps an open receiver attached, offering it the restored messages', async () => {
    const env = await lz.worker('sb3');
    await withClient(env, async (client) => {
      await client.createSender('work').sendMessages({ body: 'kept' });
      await snapshot('one-message', env);
      const receiver = client.createReceiver('work', { receiveMode: 'receiveAndDelete' });
      expect((await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 }))[0]?.body).toBe('kept');
      await restore('one-message', env);
      expect((await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 }))[0]?.body).toBe('kept');
    });
  });

  itSharesSnapshotBehaviour(lz, { service: 'servicebus', baseline, contents }, ['sb5', 'sb6', 'sb4']);
});
