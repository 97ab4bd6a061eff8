import { ServiceBusClient } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { codeOf, noRetry, useServiceBus } from './support.js';

const sb = useServiceBus({ queues: ['audit'] }, noRetry);
/** A client whose retries absorb a one-off fault, quickly. */
const retrying = { retryOptions: { maxRetries: 2, retryDelayInMs: 10 } };

async function sendRetrying(body: string): Promise<void> {
  const client = new ServiceBusClient(sb.connectionString, retrying);
  await client.createSender('audit').sendMessages({ body });
  await client.close();
}

/** The bodies waiting in `audit`, taken off it. */
async function drain(): Promise<unknown[]> {
  return (await sb.client.createReceiver('audit', { receiveMode: 'receiveAndDelete' }).receiveMessages(5, { maxWaitTimeInMs: 300 })).map((m) => m.body);
}

const operations = () => sb.journal.list({ namespace: DEFAULT_ACCOUNT.name, service: 'servicebus' }).requests.map((r) => `${r.operation} ${r.path}${r.errorCode ? ` ${r.errorCode}` : ''}`);

describe('Service Bus journal and faults', () => {
  it('records each operation under Azure\'s name with its entity', async () => {
    sb.journal.clear();
    const receiver = sb.client.createReceiver('audit');
    await sb.client.createSender('audit').sendMessages({ body: 1 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    await receiver.renewMessageLock(message!);
    await receiver.completeMessage(message!);
    await receiver.peekMessages(1);
    expect(operations()).toEqual(['Send /audit', 'Receive /audit', 'RenewLock /audit', 'Complete /audit', 'Peek /audit']);
  });

  it('records a failed settlement with its error code', async () => {
    sb.journal.clear();
    await sb.client.createSender('audit').sendMessages({ body: 1 });
    const receiver = sb.client.createReceiver('audit');
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    sb.clock.advance(61_000);
    await codeOf(receiver.completeMessage(message!));
    expect(operations()).toContain('Complete /audit MessageLockLost');
  });

  it('answers ServiceBusy to a send while a ServerBusy fault is armed, then recovers', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', status: 503, times: 1 });
    const sender = sb.client.createSender('audit');
    expect(await codeOf(sender.sendMessages({ body: 'busy' }))).toBe('ServiceBusy');
    await sender.sendMessages({ body: 'fine' });
    expect(await drain()).toEqual(['fine']);
  });

  it('lets the SDK retry past a one-off ServerBusy', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', status: 503, times: 1 });
    await sendRetrying('retried');
    expect(await drain()).toEqual(['retried']);
  });

  it('drops the connection on a reset fault; the SDK reconnects for the next call', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', reset: true, times: 1 });
    await sendRetrying('after reconnect');
    expect(await drain()).toEqual(['after reconnect']);
  });

  it('detaches the sending link on a detach fault; the SDK re-attaches and its retry is accepted', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', detach: true, times: 1 });
    await sendRetrying('after detach');
    expect(await drain()).toEqual(['after detach']);
    expect(sb.journal.list({ namespace: DEFAULT_ACCOUNT.name, operation: 'Send' }).requests.map((r) => r.fault?.action ?? 'none')).toEqual(['detach', 'none']);
  });

  it('surfaces the detach to a sender without retries, with the condition of the fault status', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', detach: true, status: 503, times: 1 });
    expect(await codeOf(sb.client.createSender('audit').sendMessages({ body: 'lost' }))).toBe('ServiceBusy');
    // A fresh sender attaches a new link; the refused message was never enqueued.
    await sb.client.createSender('audit').sendMessages({ body: 'kept' });
    expect(await drain()).toEqual(['kept']);
  });

  it('surfaces a plain detach to a sender without retries as the SDK DetachForcedError', async () => {
    sb.faults.add({ service: 'servicebus', operation: 'Send', detach: true, times: 1 });
    const error = await sb.client.createSender('audit').sendMessages({ body: 'lost' }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/^DetachForcedError: /);
  });

  it('detaches the receiving link on a Receive fault; a retrying receiver gets the message', async () => {
    await sb.client.createSender('audit').sendMessages({ body: 'waiting' });
    sb.faults.add({ service: 'servicebus', operation: 'Receive', detach: true, times: 1 });
    const client = new ServiceBusClient(sb.connectionString, retrying);
    const receiver = client.createReceiver('audit', { receiveMode: 'receiveAndDelete' });
    const messages = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
    await client.close();
    expect(messages.map((m) => m.body)).toEqual(['waiting']);
    expect(sb.faults.list()).toEqual([]);
  });

  it('detaches the $management link on a detach fault; the SDK retries the request', async () => {
    await sb.client.createSender('audit').sendMessages({ body: 'peeked' });
    sb.faults.add({ service: 'servicebus', operation: 'Peek', detach: true, times: 1 });
    const client = new ServiceBusClient(sb.connectionString, retrying);
    const [message] = await client.createReceiver('audit').peekMessages(1);
    await client.close();
    expect(message?.body).toBe('peeked');
    expect(sb.faults.list()).toEqual([]);
  });

  it('shows entities with their counts and messages to inspect', async () => {
    await sb.client.createSender('audit').sendMessages([{ body: 'a' }, { body: 'b' }]);
    const snapshot = (await sb.service.inspect(DEFAULT_ACCOUNT.name)) as { kind: string; accounts: Record<string, { queues: Array<{ name: string; activeCount: number; messages: Array<{ preview?: string }> }> }> };
    expect(snapshot.kind).toBe('servicebus');
    const audit = snapshot.accounts[DEFAULT_ACCOUNT.name]!.queues.find((q) => q.name === 'audit')!;
    expect(audit.activeCount).toBe(2);
    // The SDK sends a string body as JSON text in a data section; the preview shows the bytes as sent.
    expect(audit.messages.map((m) => m.preview)).toEqual(['"a"', '"b"']);
  });
});
