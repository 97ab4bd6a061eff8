import { QueueServiceClient } from '@azure/storage-queue';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advanceClock, withLocalZure, type Environment } from '../../src/index.js';

const lz = withLocalZure(['queue']);
let env: Environment;
beforeAll(async () => {
  env = await lz.setup();
});
afterAll(() => lz.teardown());

it('makes a received message visible again once the clock passes its visibility timeout', async () => {
  const queue = QueueServiceClient.fromConnectionString(env.connectionString).getQueueClient('retries');
  await queue.create();
  await queue.sendMessage('job');
  const first = await queue.receiveMessages({ visibilityTimeout: 30 });
  expect(first.receivedMessageItems[0]?.dequeueCount).toBe(1);
  expect((await queue.receiveMessages()).receivedMessageItems).toHaveLength(0);

  await advanceClock(30_000, env);

  const again = await queue.receiveMessages();
  expect(again.receivedMessageItems[0]?.messageText).toBe('job');
  expect(again.receivedMessageItems[0]?.dequeueCount).toBe(2);
});

it('refuses to move the clock backwards', async () => {
  await expect(advanceClock(-1, env)).rejects.toMatchObject({ code: 'LZ_CONTROL_REQUEST_FAILED' });
});
