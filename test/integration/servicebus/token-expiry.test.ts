import { ServiceBusClient } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { codeOf, noRetry, useServiceBus } from './support.js';

// Its own file: the clock only moves forward, and every client after this test would hold stale tokens.
const sb = useServiceBus({ queues: ['orders'] }, noRetry);

describe('Service Bus token expiry', () => {
  it('refuses a token that expired on the emulators clock with UnauthorizedAccess', async () => {
    const client = new ServiceBusClient(sb.connectionString, noRetry);
    // The SDK signs tokens for one hour of real time.
    sb.clock.advance(2 * 3_600_000);
    expect(await codeOf(client.createSender('orders').sendMessages({ body: 'x' }))).toBe('UnauthorizedAccess');
    await client.close();
  });
});
