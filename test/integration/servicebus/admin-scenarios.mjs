// Runs one administration-client scenario against the emulator and prints its result as JSON.
// A separate process: Node trusts the development certificate only through NODE_EXTRA_CA_CERTS, read at start-up.
import { ServiceBusAdministrationClient, ServiceBusClient } from '@azure/service-bus';

const [scenario, connectionString] = process.argv.slice(2);
const admin = new ServiceBusAdministrationClient(connectionString);
const code = (promise) => promise.then(() => 'ok', (e) => e.code ?? e.message);

const scenarios = {
  async createGetDeleteQueue() {
    const created = await admin.createQueue('made', { lockDuration: 'PT45S', maxDeliveryCount: 4 });
    const got = await admin.getQueue('made');
    const exists = await admin.queueExists('made');
    await admin.deleteQueue('made');
    return { created: [created.name, created.lockDuration, created.maxDeliveryCount], got: got.name, exists, after: await admin.queueExists('made') };
  },
  async createdQueueWorks() {
    await admin.createQueue('fresh');
    const client = new ServiceBusClient(connectionString);
    await client.createSender('fresh').sendMessages({ body: 'into a created queue' });
    const [m] = await client.createReceiver('fresh', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await client.close();
    return m?.body;
  },
  async duplicateQueue() {
    await admin.createQueue('twice');
    return code(admin.createQueue('twice'));
  },
  async missingQueue() {
    return { get: await code(admin.getQueue('nowhere')), del: await code(admin.deleteQueue('nowhere')), exists: await admin.queueExists('nowhere') };
  },
  async updateQueue() {
    const q = await admin.createQueue('tuned');
    const updated = await admin.updateQueue({ ...q, maxDeliveryCount: 9, status: 'SendDisabled' });
    return [updated.maxDeliveryCount, updated.status];
  },
  async listQueues() {
    await admin.createQueue('listed');
    const names = [];
    for await (const q of admin.listQueues()) names.push(q.name);
    return names;
  },
  async queueRuntimeProperties() {
    const client = new ServiceBusClient(connectionString);
    await client.createSender('seeded').sendMessages([{ body: 1 }, { body: 2 }]);
    await client.createSender('seeded').scheduleMessages({ body: 3 }, new Date(Date.now() + 3600_000));
    const receiver = client.createReceiver('seeded');
    const [m] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.deadLetterMessage(m, { deadLetterReason: 'x', deadLetterErrorDescription: 'y' });
    await client.close();
    const p = await admin.getQueueRuntimeProperties('seeded');
    return [p.activeMessageCount, p.deadLetterMessageCount, p.scheduledMessageCount, p.transferMessageCount, p.sizeInBytes > 0];
  },
  async topicsAndSubscriptions() {
    await admin.createTopic('news');
    await admin.createSubscription('news', 'reader');
    const client = new ServiceBusClient(connectionString);
    await client.createSender('news').sendMessages({ body: 'headline' });
    const [m] = await client.createReceiver('news', 'reader', { receiveMode: 'receiveAndDelete' }).receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await client.close();
    const subs = [];
    for await (const s of admin.listSubscriptions('news')) subs.push(s.subscriptionName);
    const topic = await admin.getTopic('news');
    const runtime = await admin.getSubscriptionRuntimeProperties('news', 'reader');
    await admin.deleteSubscription('news', 'reader');
    return { body: m?.body, subs, topic: topic.name, active: runtime.activeMessageCount, exists: await admin.subscriptionExists('news', 'reader') };
  },
  async namespaceProperties() {
    const p = await admin.getNamespaceProperties();
    return [p.name, p.messagingSku];
  },
  async wrongKey() {
    const wrong = connectionString.replace(/SharedAccessKey=[^;]+/, `SharedAccessKey=${Buffer.from('nope').toString('base64')}`);
    return code(new ServiceBusAdministrationClient(wrong).getQueue('seeded'));
  },
};

console.log(JSON.stringify(await scenarios[scenario]()));
