import { ServiceBusClient } from '@azure/service-bus';

/** Places orders on a Service Bus queue and fulfils them, taking each order once. */
export class OrderQueue {
  constructor(readonly client: ServiceBusClient, readonly queue = 'orders') {}

  /** Configured the way the app is in production: from SERVICEBUS_CONNECTION_STRING (LocalZure's in tests). */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): OrderQueue {
    const connectionString = env.SERVICEBUS_CONNECTION_STRING ?? env.LOCALZURE_SERVICEBUS_CONNECTION_STRING;
    if (!connectionString) throw new Error('Set SERVICEBUS_CONNECTION_STRING.');
    return new OrderQueue(new ServiceBusClient(connectionString));
  }

  async place(item: string, quantity: number): Promise<void> {
    const sender = this.client.createSender(this.queue);
    await sender.sendMessages({ body: { item, quantity }, contentType: 'application/json' });
    await sender.close();
  }

  /** Takes the next order and completes it once `handle` succeeds; a failing handler leaves it for a retry. */
  async fulfilNext(handle: (order: { item: string; quantity: number }) => Promise<void>): Promise<boolean> {
    const receiver = this.client.createReceiver(this.queue);
    try {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1_000 });
      if (!message) return false;
      try {
        await handle(message.body as { item: string; quantity: number });
        await receiver.completeMessage(message);
      } catch {
        await receiver.abandonMessage(message);
      }
      return true;
    } finally {
      await receiver.close();
    }
  }

  /** Orders that failed past the queue's MaxDeliveryCount. */
  async failed(): Promise<string[]> {
    const receiver = this.client.createReceiver(this.queue, { subQueueType: 'deadLetter' });
    const messages = await receiver.peekMessages(10);
    await receiver.close();
    return messages.map((m) => (m.body as { item: string }).item);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
