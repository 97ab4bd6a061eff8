import { ServiceBusClient } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['orders'] }, noRetry);

describe('Service Bus authorization (CBS)', () => {
  it('refuses a wrong key with UnauthorizedAccess', async () => {
    const wrong = sb.connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.from('not the key').toString('base64')}`);
    const client = new ServiceBusClient(wrong, noRetry);
    expect(await codeOf(client.createSender('orders').sendMessages({ body: 'x' }))).toBe('UnauthorizedAccess');
    await client.close();
  });

  it('refuses an unknown key name with UnauthorizedAccess', async () => {
    const wrong = sb.connectionString.replace(/SharedAccessKeyName=[^;]+/, 'SharedAccessKeyName=nobody');
    const client = new ServiceBusClient(wrong, noRetry);
    expect(await codeOf(client.createSender('orders').sendMessages({ body: 'x' }))).toBe('UnauthorizedAccess');
    await client.close();
  });

  it('answers MessagingEntityNotFound for a queue that does not exist', async () => {
    expect(await codeOf(sb.client.createSender('nope').sendMessages({ body: 'x' }))).toBe('MessagingEntityNotFound');
    expect(await codeOf(sb.client.createReceiver('nope').receiveMessages(1, { maxWaitTimeInMs: 500 }))).toBe('MessagingEntityNotFound');
  });
});
