import { ServiceBusClient } from '@azure/service-bus';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['orders', 'invoices'] }, noRetry);

/** A connection string carrying a SAS token signed, as Azure's tools sign one, for `path` under the namespace ('' for all of it). */
function signedFor(path: string): string {
  const endpoint = /Endpoint=(sb:\/\/[^;]+)/.exec(sb.connectionString)![1]!.replace(/\/?$/, '/');
  const audience = encodeURIComponent(`${endpoint}${path}`);
  const se = Math.floor(Date.now() / 1000) + 600;
  const sig = encodeURIComponent(createHmac('sha256', DEFAULT_ACCOUNT.key).update(`${audience}\n${se}`).digest('base64'));
  return `Endpoint=${endpoint};SharedAccessSignature=SharedAccessSignature sr=${audience}&sig=${sig}&se=${se}&skn=${DEFAULT_ACCOUNT.name};UseDevelopmentEmulator=true`;
}

describe('Service Bus authorization (CBS)', () => {
  it('accepts a token signed for the whole namespace on every entity in it', async () => {
    const client = new ServiceBusClient(signedFor(''), noRetry);
    await client.createSender('orders').sendMessages({ body: 'a' });
    await client.createSender('invoices').sendMessages({ body: 'b' });
    await client.close();
  });

  it('refuses a token signed for one queue on another with UnauthorizedAccess', async () => {
    const client = new ServiceBusClient(signedFor('orders'), noRetry);
    expect(await codeOf(client.createSender('invoices').sendMessages({ body: 'x' }))).toBe('UnauthorizedAccess');
    await client.close();
  });

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
