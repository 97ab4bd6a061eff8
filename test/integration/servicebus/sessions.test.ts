import { describe, expect, it } from 'vitest';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['plain', { name: 'orders', properties: { RequiresSession: true, LockDuration: 'PT30S' } }] }, noRetry);

async function send(...messages: Array<{ sessionId: string; body: unknown }>) {
  await sb.client.createSender('orders').sendMessages(messages);
}

describe('Service Bus sessions', () => {
  it('accepts a named session and receives only its messages, in order', async () => {
    await send({ sessionId: 'a', body: 1 }, { sessionId: 'b', body: 'other' }, { sessionId: 'a', body: 2 }, { sessionId: 'a', body: 3 });
    const receiver = await sb.client.acceptSession('orders', 'a');
    const messages = await receiver.receiveMessages(3, { maxWaitTimeInMs: 2_000 });
    expect(messages.map((m) => m.body)).toEqual([1, 2, 3]);
    expect(messages.every((m) => m.sessionId === 'a')).toBe(true);
    await receiver.close();
  });

  it('accepts the next session that has messages', async () => {
    await send({ sessionId: 'next-one', body: 'hi' });
    const receiver = await sb.client.acceptNextSession('orders');
    expect(receiver.sessionId).toBe('next-one');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(message!.body).toBe('hi');
    await receiver.completeMessage(message!);
    await receiver.close();
  });

  it('times out acceptNextSession when no session has messages', async () => {
    const error = await sb.client.acceptNextSession('orders', { maxAutoLockRenewalDurationInMs: 0 }).then(
      () => undefined,
      (e: { code?: string }) => e,
    );
    expect(error?.code).toBe('ServiceTimeout');
  }, 70_000);

  it('lets one receiver hold a session: a second gets SessionCannotBeLocked', async () => {
    await send({ sessionId: 'held', body: 1 });
    const first = await sb.client.acceptSession('orders', 'held');
    expect(await codeOf(sb.client.acceptSession('orders', 'held'))).toBe('SessionCannotBeLocked');
    await first.close();
    const second = await sb.client.acceptSession('orders', 'held');
    await second.close();
  });

  it('gives the session lock an expiry on the emulators clock and renews it', async () => {
    await send({ sessionId: 's', body: 1 });
    const receiver = await sb.client.acceptSession('orders', 's', { maxAutoLockRenewalDurationInMs: 0 });
    const first = receiver.sessionLockedUntilUtc!.getTime();
    expect(Math.abs(first - (sb.clock.now() + 30_000))).toBeLessThan(2_000);
    sb.clock.advance(20_000);
    const renewed = await receiver.renewSessionLock();
    expect(renewed.getTime()).toBeGreaterThanOrEqual(first + 19_000);
    await receiver.close();
  });

  it('loses the session when its lock expires: settling then fails with SessionLockLost', async () => {
    await send({ sessionId: 'lapse', body: 1 });
    const receiver = await sb.client.acceptSession('orders', 'lapse', { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    sb.clock.advance(31_000);
    expect(await codeOf(receiver.completeMessage(message!))).toBe('SessionLockLost');
    await receiver.close();
  });

  it('keeps session state', async () => {
    await send({ sessionId: 'stateful', body: 1 });
    const receiver = await sb.client.acceptSession('orders', 'stateful');
    expect(await receiver.getSessionState()).toBeFalsy();
    await receiver.setSessionState({ step: 2 });
    expect(await receiver.getSessionState()).toEqual({ step: 2 });
    await receiver.close();
  });

  it('refuses a sessionless receiver on a session queue', async () => {
    expect(await codeOf(sb.client.createReceiver('orders').receiveMessages(1, { maxWaitTimeInMs: 500 }))).toBe('GeneralError');
  });

  it('refuses a message without a session id on a session queue', async () => {
    expect(await codeOf(sb.client.createSender('orders').sendMessages({ body: 'no session' }))).toBe('GeneralError');
  });
});
