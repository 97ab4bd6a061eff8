import { EventHubProducerClient } from '@azure/event-hubs';
import { ServiceBusClient } from '@azure/service-bus';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment, LocalZureRuntime, type Environment } from '../../src/index.js';
import { REPO_ROOT } from '../support/plugin-project.js';

const CLI = join(REPO_ROOT, 'dist/cli.js');
const run = promisify(execFile);

let runtime: LocalZureRuntime;
let env: Environment;

async function inspect(): Promise<string> {
  const { stdout } = await run(process.execPath, [CLI, 'inspect', '--url', env.controlUrl, '--namespace', env.account.name]);
  return stdout;
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npx tsup` (npm test builds it first).');
  runtime = new LocalZureRuntime({
    logger: { info() {}, warn() {}, error() {} },
    seed: { data: { servicebus: { queues: ['orders'], topics: { news: { subscriptions: ['reader', 'archive'] } } }, eventhubs: { hubs: { telemetry: { partitionCount: 2, consumerGroups: ['audit'] } } } } },
  });
  await runtime.start(['servicebus', 'eventhubs']);
  env = buildEnvironment(runtime);
  const sb = new ServiceBusClient(env.connectionStrings.servicebus!);
  await sb.createSender('orders').sendMessages([{ body: 'first order', messageId: 'order-1' }, { body: 'second order', messageId: 'order-2' }]);
  await sb.createSender('orders').scheduleMessages({ body: 'later', messageId: 'order-3' }, new Date(Date.now() + 3_600_000));
  await sb.createSender('news').sendMessages({ body: 'headline', messageId: 'news-1' });
  const archive = sb.createReceiver('news', 'archive');
  const [dead] = await archive.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
  await archive.deadLetterMessage(dead!);
  await sb.close();
  const eh = new EventHubProducerClient(env.connectionStrings.eventhubs!, 'telemetry');
  await eh.sendBatch([{ body: 'a' }, { body: 'b' }, { body: 'c' }], { partitionId: '1' });
  await eh.close();
});
afterAll(() => runtime?.stop());

describe('localzure inspect for messaging services', () => {
  it('shows each Service Bus queue with its counts and first messages', async () => {
    const text = await inspect();
    expect(text).toContain(
      ['    queue orders: 2 active, 1 scheduled, 0 deferred, 0 dead-lettered', '      #1 order-1  active  "\\"first order\\""', '      #2 order-2  active  "\\"second order\\""', '      #3 order-3  scheduled  "\\"later\\""'].join('\n'),
    );
  });

  it('shows each topic with its subscriptions, their counts and messages', async () => {
    const text = await inspect();
    expect(text).toContain('    topic news (2 subscriptions)\n      reader: 1 active, 0 scheduled, 0 deferred, 0 dead-lettered\n        #1 news-1  active  "\\"headline\\""');
    expect(text).toContain('      archive: 0 active, 0 scheduled, 0 deferred, 1 dead-lettered\n');
  });

  it('shows each event hub with its consumer groups and partitions', async () => {
    const text = await inspect();
    expect(text).toContain('    telemetry: 2 partitions, 3 events; consumer groups $Default, audit\n      partition 0: empty\n      partition 1: 3 events, sequence 0–2, last enqueued ');
  });
});
