// Runs one administration-client scenario against the emulator and prints its result as JSON.
// A separate process: Node trusts the development certificate only through NODE_EXTRA_CA_CERTS, read at start-up.
import { ServiceBusAdministrationClient, ServiceBusClient } from '@azure/service-bus';

const [scenario, connectionString] = process.argv.slice(2);
const admin = new ServiceBusAdministrationClient(connectionString);
const code = (promise) => promise.then(() => 'ok', (e) => e.code ?? e.message);
// What the SDK parsed, without its raw HTTP response.
const plain = (value) => JSON.parse(JSON.stringify(value, (key, v) => (key === '_response' ? undefined : v)));
const topicWithSubscription = async (topic, subscription) => {
  await admin.createTopic(topic);
  await admin.createSubscription(topic, subscription);
};

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
  async listPagedQueues() {
    for (let i = 0; i < 5; i++) await admin.createQueue(`paged-${i}`);
    const pages = [];
    for await (const page of admin.listQueues().byPage({ maxPageSize: 2 })) pages.push(page.map((q) => q.name));
    return { pages: pages.length, names: pages.flat().filter((n) => n.startsWith('paged-')) };
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
  async createGetRule() {
    await topicWithSubscription('ruled', 'all');
    const filter = { sqlExpression: 'priority > @min', sqlParameters: { '@min': 2 } };
    const action = { sqlExpression: 'SET tagged = @tag', sqlParameters: { '@tag': 'yes' } };
    const created = await admin.createRule('ruled', 'all', 'important', filter, action);
    const got = await admin.getRule('ruled', 'all', 'important');
    return { created: plain(created), got: plain(got), exists: await admin.ruleExists('ruled', 'all', 'important') };
  },
  async correlationRule() {
    await topicWithSubscription('correlated', 'eu');
    const filter = { correlationId: 'order-1', subject: 'created', contentType: 'application/json', applicationProperties: { region: 'eu', size: 3, urgent: true, at: new Date('2026-01-02T03:04:05.000Z') } };
    await admin.createRule('correlated', 'eu', 'eu-orders', filter);
    const got = await admin.getRule('correlated', 'eu', 'eu-orders');
    return { filter: plain(got.filter), at: got.filter.applicationProperties.at instanceof Date };
  },
  async defaultRuleListed() {
    await topicWithSubscription('plain', 'everything');
    const rules = [];
    for await (const rule of admin.listRules('plain', 'everything')) rules.push(plain(rule));
    return rules;
  },
  async rulesRouteAtOnce() {
    await topicWithSubscription('routed', 'eu');
    await admin.deleteRule('routed', 'eu', '$Default');
    await admin.createRule('routed', 'eu', 'only-eu', { sqlExpression: "region = 'eu'" }, { sqlExpression: "SET via = 'rule'" });
    const client = new ServiceBusClient(connectionString);
    await client.createSender('routed').sendMessages([{ body: 'us', applicationProperties: { region: 'us' } }, { body: 'eu', applicationProperties: { region: 'eu' } }]);
    const got = await client.createReceiver('routed', 'eu', { receiveMode: 'receiveAndDelete' }).receiveMessages(5, { maxWaitTimeInMs: 500 });
    await client.close();
    return got.map((m) => [m.body, m.applicationProperties.via]);
  },
  async ruleManagerSharesRules() {
    await topicWithSubscription('shared', 'sub');
    await admin.createRule('shared', 'sub', 'from-admin', { sqlExpression: 'n = 1' });
    const client = new ServiceBusClient(connectionString);
    const manager = client.createRuleManager('shared', 'sub');
    await manager.createRule('from-manager', { correlationId: 'x' });
    const seenByManager = [];
    for await (const rule of manager.listRules()) seenByManager.push(rule.name);
    await client.close();
    const seenByAdmin = [];
    for await (const rule of admin.listRules('shared', 'sub')) seenByAdmin.push(rule.name);
    return { seenByManager, seenByAdmin };
  },
  async updateRule() {
    await topicWithSubscription('changing', 'sub');
    const rule = await admin.createRule('changing', 'sub', 'size', { sqlExpression: 'size > 10' });
    const updated = await admin.updateRule('changing', 'sub', { ...rule, filter: { sqlExpression: 'size > 100' }, action: { sqlExpression: 'SET big = TRUE' } });
    const client = new ServiceBusClient(connectionString);
    await admin.deleteRule('changing', 'sub', '$Default');
    await client.createSender('changing').sendMessages([{ body: 50, applicationProperties: { size: 50 } }, { body: 500, applicationProperties: { size: 500 } }]);
    const got = await client.createReceiver('changing', 'sub', { receiveMode: 'receiveAndDelete' }).receiveMessages(5, { maxWaitTimeInMs: 500 });
    await client.close();
    return { filter: updated.filter.sqlExpression, action: updated.action.sqlExpression, routed: got.map((m) => [m.body, m.applicationProperties.big]) };
  },
  async deleteRule() {
    await topicWithSubscription('pruned', 'sub');
    await admin.createRule('pruned', 'sub', 'gone', { sqlExpression: 'a = 1' });
    await admin.deleteRule('pruned', 'sub', 'gone');
    return { exists: await admin.ruleExists('pruned', 'sub', 'gone'), get: await code(admin.getRule('pruned', 'sub', 'gone')), del: await code(admin.deleteRule('pruned', 'sub', 'gone')) };
  },
  async ruleErrors() {
    await topicWithSubscription('strict', 'sub');
    await admin.createRule('strict', 'sub', 'twice', { sqlExpression: 'a = 1' });
    const status = (promise) => promise.then(() => 'ok', (e) => [e.statusCode, e.code]);
    return {
      duplicate: await status(admin.createRule('strict', 'sub', 'twice', { sqlExpression: 'a = 1' })),
      badSql: await status(admin.createRule('strict', 'sub', 'broken', { sqlExpression: 'a = = 1' })),
      missingParameter: await status(admin.createRule('strict', 'sub', 'unbound', { sqlExpression: 'a = @nowhere' })),
      updateMissing: await status(admin.updateRule('strict', 'sub', { name: 'absent', filter: { sqlExpression: 'a = 1' }, action: {} })),
      noSubscription: await status(admin.createRule('strict', 'nosub', 'r', { sqlExpression: 'a = 1' })),
      stillOne: (await admin.getRule('strict', 'sub', 'twice')).filter.sqlExpression,
    };
  },
  async subscriptionWithDefaultRule() {
    await admin.createTopic('defaulted');
    await admin.createSubscription('defaulted', 'high', { defaultRuleOptions: { name: 'high-only', filter: { sqlExpression: 'priority >= 5' } } });
    const names = [];
    for await (const rule of admin.listRules('defaulted', 'high')) names.push([rule.name, rule.filter.sqlExpression]);
    return names;
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
