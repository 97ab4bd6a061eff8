import { describe, expect, it } from 'vitest';
import { codeOf, useServiceBus } from './support.js';

const sb = useServiceBus({
  queues: [
    'timed',
    { name: 'short-lived', properties: { DefaultMessageTimeToLive: 'PT1M' } },
    { name: 'kept-dead', properties: { DefaultMessageTimeToLive: 'PT1M', DeadLetteringOnMessageExpiration: true } },
  ],
});

const receiveNow = async (queue: string, wait = 300) =>
  sb.client.createReceiver(queue, { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: wait });

describe('Service Bus scheduling and expiry', () => {
  it('holds a scheduled message until its time comes on the emulators clock', async () => {
    const at = new Date(sb.clock.now() + 10 * 60_000);
    const [sequenceNumber] = await sb.client.createSender('timed').scheduleMessages({ body: 'later' }, at);
    expect(sequenceNumber!.toNumber()).toBeGreaterThan(0);
    expect(await receiveNow('timed')).toEqual([]);
    const [peeked] = await sb.client.createReceiver('timed').peekMessages(1);
    expect(peeked!.state).toBe('scheduled');
    sb.clock.advance(10 * 60_000);
    const [message] = await receiveNow('timed', 2_000);
    expect(message!.body).toBe('later');
    expect(message!.enqueuedTimeUtc!.getTime()).toBe(at.getTime());
  });

  it('schedules through the scheduledEnqueueTimeUtc of a plain send', async () => {
    await sb.client.createSender('timed').sendMessages({ body: 'planned', scheduledEnqueueTimeUtc: new Date(sb.clock.now() + 60_000) });
    expect(await receiveNow('timed')).toEqual([]);
    sb.clock.advance(60_000);
    expect((await receiveNow('timed', 2_000)).map((m) => m.body)).toEqual(['planned']);
  });

  it('cancels a scheduled message', async () => {
    const sender = sb.client.createSender('timed');
    const [n] = await sender.scheduleMessages({ body: 'never' }, new Date(sb.clock.now() + 60_000));
    await sender.cancelScheduledMessages(n!);
    sb.clock.advance(60_000);
    expect(await receiveNow('timed')).toEqual([]);
  });

  it('refuses to cancel a sequence number that is not scheduled: MessageNotFound', async () => {
    const sender = sb.client.createSender('timed');
    const [n] = await sender.scheduleMessages({ body: 'x' }, new Date(sb.clock.now() + 60_000));
    await sender.cancelScheduledMessages(n!);
    expect(await codeOf(sender.cancelScheduledMessages(n!))).toBe('MessageNotFound');
  });

  it('drops a message once its time to live runs out', async () => {
    await sb.client.createSender('timed').sendMessages({ body: 'brief', timeToLive: 5_000 });
    sb.clock.advance(6_000);
    expect(await receiveNow('timed')).toEqual([]);
  });

  it('applies the entity default time to live to messages that set none', async () => {
    await sb.client.createSender('short-lived').sendMessages({ body: 'default ttl' });
    sb.clock.advance(61_000);
    expect(await receiveNow('short-lived')).toEqual([]);
  });

  it('dead-letters expired messages when DeadLetteringOnMessageExpiration is on', async () => {
    await sb.client.createSender('kept-dead').sendMessages({ body: 'expired' });
    sb.clock.advance(61_000);
    expect(await receiveNow('kept-dead')).toEqual([]);
    const dead = await sb.client.createReceiver('kept-dead', { subQueueType: 'deadLetter', receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(dead.map((m) => [m.body, m.deadLetterReason])).toEqual([['expired', 'TTLExpiredException']]);
  });
});
