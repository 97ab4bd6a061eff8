import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient, resetLocalZure, withLocalZure, workerEnvironment, type Environment, type LocalZureHarness } from '../../../src/index.js';

let lz: LocalZureHarness;
let base: Environment;

beforeAll(async () => {
  lz = withLocalZure(['servicebus'], { seed: { servicebus: { queues: ['jobs'] } }, guard: false });
  base = await lz.setup();
});
afterAll(() => lz.teardown());

async function worker(id: string): Promise<Environment> {
  const env = workerEnvironment(base, id);
  await new ControlClient(env.controlUrl).registerNamespace(env.account);
  return env;
}

async function receiveAll(connectionString: string): Promise<unknown[]> {
  const client = new ServiceBusClient(connectionString);
  const messages = await client.createReceiver('jobs', { receiveMode: 'receiveAndDelete' }).receiveMessages(10, { maxWaitTimeInMs: 300 });
  await client.close();
  return messages.map((m) => m.body);
}

describe('servicebus in the harness', () => {
  it('hands out a development-emulator connection string in the Environment and the process environment', () => {
    expect(base.connectionStrings.servicebus).toMatch(/^Endpoint=sb:\/\/127\.0\.0\.1:\d+;SharedAccessKeyName=[^;]+;SharedAccessKey=[^;]+;UseDevelopmentEmulator=true$/);
    expect(base.env.LOCALZURE_SERVICEBUS_CONNECTION_STRING).toBe(base.connectionStrings.servicebus);
    expect(base.services).toEqual(['servicebus']);
  });

  it('sends and receives with the Environment connection string', async () => {
    const client = new ServiceBusClient(base.connectionStrings.servicebus!);
    await client.createSender('jobs').sendMessages({ body: 'from the harness' });
    await client.close();
    expect(await receiveAll(base.connectionStrings.servicebus!)).toEqual(['from the harness']);
  });

  it('gives each worker a namespace of its own, with the seeded entities', async () => {
    const one = await worker('1');
    const two = await worker('2');
    expect(one.connectionStrings.servicebus).not.toBe(two.connectionStrings.servicebus);
    const client = new ServiceBusClient(one.connectionStrings.servicebus!);
    await client.createSender('jobs').sendMessages({ body: 'for worker one' });
    await client.close();
    expect(await receiveAll(two.connectionStrings.servicebus!)).toEqual([]);
    expect(await receiveAll(one.connectionStrings.servicebus!)).toEqual(['for worker one']);
  });

  it('resets only the resetting worker\'s namespace, keeping its entities', async () => {
    const one = await worker('3');
    const two = await worker('4');
    for (const env of [one, two]) {
      const client = new ServiceBusClient(env.connectionStrings.servicebus!);
      await client.createSender('jobs').sendMessages({ body: env.account.name });
      await client.close();
    }
    await resetLocalZure(undefined, one);
    expect(await receiveAll(one.connectionStrings.servicebus!)).toEqual([]);
    expect(await receiveAll(two.connectionStrings.servicebus!)).toEqual([two.account.name]);
  });
});
