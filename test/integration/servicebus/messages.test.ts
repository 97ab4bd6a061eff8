import { describe, expect, it } from 'vitest';
import { codeOf, useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['q', { name: 'small', properties: { MaxMessageSizeInKilobytes: 1 } }] });

async function receiveOne(queue = 'q') {
  const receiver = sb.client.createReceiver(queue, { receiveMode: 'receiveAndDelete' });
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
  await receiver.close();
  return message!;
}

describe('Service Bus messages', () => {
  it('round-trips every system property', async () => {
    await sb.client.createSender('q').sendMessages({
      body: 'text',
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'subject',
      contentType: 'text/plain',
      to: 'someone',
      replyTo: 'back',
      replyToSessionId: 'rs',
      partitionKey: 'pk',
      timeToLive: 60_000,
    });
    const m = await receiveOne();
    expect({
      body: m.body,
      messageId: m.messageId,
      correlationId: m.correlationId,
      subject: m.subject,
      contentType: m.contentType,
      to: m.to,
      replyTo: m.replyTo,
      replyToSessionId: m.replyToSessionId,
      partitionKey: m.partitionKey,
      timeToLive: m.timeToLive,
    }).toEqual({
      body: 'text',
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'subject',
      contentType: 'text/plain',
      to: 'someone',
      replyTo: 'back',
      replyToSessionId: 'rs',
      partitionKey: 'pk',
      timeToLive: 60_000,
    });
  });

  it('round-trips JSON and binary bodies', async () => {
    const sender = sb.client.createSender('q');
    await sender.sendMessages([{ body: { a: [1, 2], b: 'x' } }, { body: Buffer.from([0, 1, 254, 255]) }]);
    const receiver = sb.client.createReceiver('q', { receiveMode: 'receiveAndDelete' });
    const messages = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    expect(messages.map((m) => m.body)).toEqual([{ a: [1, 2], b: 'x' }, Buffer.from([0, 1, 254, 255])]);
  });

  it('round-trips application properties of every type, Date and 64-bit integers included', async () => {
    const when = new Date('2024-05-06T07:08:09.010Z');
    await sb.client.createSender('q').sendMessages({
      body: 'props',
      applicationProperties: { s: 'x', i: 42, neg: -7, f: 1.5, long: 2 ** 40, negLong: -(2 ** 40), t: true, when, nothing: null },
    });
    const m = await receiveOne();
    // The SDK hands Dates back as epoch milliseconds.
    expect(m.applicationProperties).toEqual({ s: 'x', i: 42, neg: -7, f: 1.5, long: 2 ** 40, negLong: -(2 ** 40), t: true, when: when.getTime(), nothing: null });
  });

  it('assigns a message id when the sender set none', async () => {
    await sb.client.createSender('q').sendMessages({ body: 'no id' });
    const m = await receiveOne();
    expect(typeof m.messageId).toBe('string');
    expect(String(m.messageId).length).toBeGreaterThan(0);
  });

  it('assigns increasing sequence numbers and the enqueued time of the emulators clock', async () => {
    // Under the hour the SDK signs its tokens for: they are judged on this clock too.
    sb.clock.advance(30 * 60_000);
    await sb.client.createSender('q').sendMessages([{ body: 1 }, { body: 2 }]);
    const receiver = sb.client.createReceiver('q', { receiveMode: 'receiveAndDelete' });
    const [a, b] = await receiver.receiveMessages(2, { maxWaitTimeInMs: 2_000 });
    expect(b!.sequenceNumber!.toNumber()).toBe(a!.sequenceNumber!.toNumber() + 1);
    expect(Math.abs(a!.enqueuedTimeUtc!.getTime() - sb.clock.now())).toBeLessThan(5_000);
  });

  it('sends a batch sized by the link, and refuses to grow it past the limit', async () => {
    const sender = sb.client.createSender('small');
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(1024);
    expect(batch.tryAddMessage({ body: 'a' })).toBe(true);
    expect(batch.tryAddMessage({ body: 'b' })).toBe(true);
    expect(batch.tryAddMessage({ body: 'x'.repeat(2_000) })).toBe(false);
    await sender.sendMessages(batch);
    const receiver = sb.client.createReceiver('small', { receiveMode: 'receiveAndDelete' });
    const messages = await receiver.receiveMessages(5, { maxWaitTimeInMs: 1_000 });
    expect(messages.map((m) => m.body)).toEqual(['a', 'b']);
  });

  it('refuses a message larger than the entity allows with MessageSizeExceeded', async () => {
    expect(await codeOf(sb.client.createSender('small').sendMessages({ body: 'x'.repeat(4_000) }))).toBe('MessageSizeExceeded');
  });
});
