import { ServiceBusClient } from '@azure/service-bus';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { codeOf, noRetry, useServiceBus } from './support.js';

// Its own file: the clock only moves forward, and later tests would run two hours ahead.
const sb = useServiceBus({ queues: ['orders'] }, noRetry);

/** A connection string carrying a SAS token for `orders` that runs out at `expiresAt`, signed as the SDK signs one. */
function signedUntil(expiresAt: number): string {
  const endpoint = /Endpoint=(sb:\/\/[^;]+)/.exec(sb.connectionString)![1]!.replace(/\/?$/, '/');
  const audience = encodeURIComponent(`${endpoint}orders`);
  const se = Math.floor(expiresAt / 1000);
  const sig = encodeURIComponent(createHmac('sha256', DEFAULT_ACCOUNT.key).update(`${audience}\n${se}`).digest('base64'));
  const token = `SharedAccessSignature sr=${audience}&sig=${sig}&se=${se}&skn=${DEFAULT_ACCOUNT.name}`;
  return `Endpoint=${endpoint};SharedAccessSignature=${token};UseDevelopmentEmulator=true`;
}

describe('Service Bus token expiry', () => {
  it('refuses a token that has expired on both the wall clock and the emulators clock with UnauthorizedAccess', async () => {
    const client = new ServiceBusClient(signedUntil(Date.now() - 60_000), noRetry);
    expect(await codeOf(client.createSender('orders').sendMessages({ body: 'x' }))).toBe('UnauthorizedAccess');
    await client.close();
  });

  it('accepts a token that is still good on the emulators clock', async () => {
    const client = new ServiceBusClient(signedUntil(Date.now() + 60_000), noRetry);
    await client.createSender('orders').sendMessages({ body: 'signed by hand' });
    await client.close();
  });

  it('keeps connecting after the emulators clock moves past the SDK one-hour token', async () => {
    // The SDK signs its tokens for one hour of wall-clock time; the emulators' clock runs two hours ahead.
    sb.clock.advance(2 * 3_600_000);
    const client = new ServiceBusClient(sb.connectionString, noRetry);
    await client.createSender('orders').sendMessages({ body: 'two hours later' });
    const [message] = await client.createReceiver('orders', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    expect(message?.body).toBe('two hours later');
    await client.close();
  });
});
