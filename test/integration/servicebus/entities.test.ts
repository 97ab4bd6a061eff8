import { describe, expect, it } from 'vitest';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus(
  {
    queues: [
      { name: 'dedup', properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT1M' } },
      { name: 'inlet', properties: { ForwardTo: 'outlet' } },
      'outlet',
      { name: 'poison', properties: { ForwardDeadLetteredMessagesTo: 'graveyard' } },
      'graveyard',
      { name: 'off', properties: { Status: 'Disabled' } },
      { name: 'no-send', properties: { Status: 'SendDisabled' } },
      { name: 'no-receive', properties: { Status: 'ReceiveDisabled' } },
      { name: 'tiny', properties: { MaxSizeInMegabytes: 1 } },
    ],
    topics: { fanout: { subscriptions: [{ name: 'relay', properties: { ForwardTo: 'outlet' } }] } },
  },
  noRetry,
);

const drain = async (queue: string) =>
  (await sb.client.createReceiver(queue, { receiveMode: 'receiveAndDelete' }).receiveMessages(10, { maxWaitTimeInMs: 300 })).map((m) => m.body);

describe('Service Bus entity behaviour', () => {
  it('drops a duplicate message id within the detection window', async () => {
    const sender = sb.client.createSender('dedup');
    await sender.sendMessages({ body: 'first', messageId: 'same' });
    await sender.sendMessages({ body: 'again', messageId: 'same' });
    expect(await drain('dedup')).toEqual(['first']);
  });

  it('accepts the same message id again once the window has passed', async () => {
    const sender = sb.client.createSender('dedup');
    await sender.sendMessages({ body: 'first', messageId: 'later' });
    sb.clock.advance(61_000);
    await sender.sendMessages({ body: 'second', messageId: 'later' });
    expect(await drain('dedup')).toEqual(['first', 'second']);
  });

  it('forwards messages to the ForwardTo entity on arrival', async () => {
    await sb.client.createSender('inlet').sendMessages({ body: 'forwarded' });
    expect(await drain('inlet')).toEqual([]);
    expect(await drain('outlet')).toEqual(['forwarded']);
  });

  it('forwards from a subscription to a queue', async () => {
    await sb.client.createSender('fanout').sendMessages({ body: 'via topic' });
    expect(await drain('outlet')).toEqual(['via topic']);
  });

  it('forwards dead-lettered messages to ForwardDeadLetteredMessagesTo', async () => {
    await sb.client.createSender('poison').sendMessages({ body: 'bad' });
    const receiver = sb.client.createReceiver('poison');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    await receiver.deadLetterMessage(message!, { deadLetterReason: 'broken', deadLetterErrorDescription: 'cannot parse' });
    const [dead] = await sb.client.createReceiver('graveyard', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect([dead!.body, dead!.deadLetterReason]).toEqual(['bad', 'broken']);
  });

  it('refuses a disabled entity: MessagingEntityDisabled', async () => {
    expect(await codeOf(sb.client.createSender('off').sendMessages({ body: 'x' }))).toBe('MessagingEntityDisabled');
    expect(await codeOf(sb.client.createReceiver('off').receiveMessages(1, { maxWaitTimeInMs: 300 }))).toBe('MessagingEntityDisabled');
  });

  it('refuses sends to a SendDisabled entity and receives from a ReceiveDisabled one', async () => {
    expect(await codeOf(sb.client.createSender('no-send').sendMessages({ body: 'x' }))).toBe('MessagingEntityDisabled');
    await sb.client.createSender('no-receive').sendMessages({ body: 'kept' });
    expect(await codeOf(sb.client.createReceiver('no-receive').receiveMessages(1, { maxWaitTimeInMs: 300 }))).toBe('MessagingEntityDisabled');
  });

  it('refuses sends past the entity size with QuotaExceeded, keeping what fit', async () => {
    const sender = sb.client.createSender('tiny');
    const body = 'x'.repeat(200 * 1024);
    for (let i = 0; i < 5; i++) await sender.sendMessages({ body });
    expect(await codeOf(sender.sendMessages({ body }))).toBe('QuotaExceeded');
    const peeked = await sb.client.createReceiver('tiny').peekMessages(10);
    expect(peeked).toHaveLength(5);
  });
});
