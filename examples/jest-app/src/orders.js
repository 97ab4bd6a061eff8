const { ServiceBusClient } = require('@azure/service-bus');

/** Places orders on a Service Bus queue and fulfils them, taking each order once. */
class Orders {
  constructor(client, queue = 'orders') {
    this.client = client;
    this.queue = queue;
  }

  /** Configured the way the app is in production: from SERVICEBUS_CONNECTION_STRING (LocalZure's in tests). */
  static fromEnvironment(env = process.env) {
    const connectionString = env.SERVICEBUS_CONNECTION_STRING || env.LOCALZURE_SERVICEBUS_CONNECTION_STRING;
    if (!connectionString) throw new Error('Set SERVICEBUS_CONNECTION_STRING.');
    return new Orders(new ServiceBusClient(connectionString));
  }

  async place(item, quantity) {
    const sender = this.client.createSender(this.queue);
    await sender.sendMessages({ body: { item, quantity }, contentType: 'application/json' });
    await sender.close();
  }

  /** Takes the next order and completes it once `handle` succeeds; a failing handler leaves it for a retry. */
  async fulfilNext(handle) {
    const receiver = this.client.createReceiver(this.queue);
    try {
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 });
      if (!message) return false;
      try {
        await handle(message.body);
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
  async failed() {
    const receiver = this.client.createReceiver(this.queue, { subQueueType: 'deadLetter' });
    const messages = await receiver.peekMessages(10);
    await receiver.close();
    return messages.map((m) => m.body.item);
  }

  close() {
    return this.client.close();
  }
}

module.exports = { Orders };
