import { describe, expect, it } from 'vitest';
import type { QueueServiceSnapshot } from '../../../src/core/inspection.js';
import { DEFAULT_ACCOUNT } from '../../../src/core/namespaces.js';
import { useQueueService } from './support.js';

const lz = useQueueService();

async function snapshotOf(queueName: string) {
  const snapshot = (await lz.service.inspect(DEFAULT_ACCOUNT.name)) as QueueServiceSnapshot;
  return snapshot.accounts[DEFAULT_ACCOUNT.name]?.queues.find((q) => q.name === queueName);
}

describe('queue inspection', () => {
  it('counts visible and invisible messages and shows dequeue counts', async () => {
    const queue = await lz.newQueue('inspect');
    await queue.sendMessage('first');
    await queue.sendMessage('second');
    await queue.receiveMessages({ visibilityTimeout: 30 });

    const snapshot = await snapshotOf(queue.name);
    expect(snapshot).toMatchObject({ visibleCount: 1, invisibleCount: 1 });
    expect(snapshot?.messages.map((m) => [m.preview, m.visible, m.dequeueCount])).toEqual([
      ['first', false, 1],
      ['second', true, 0],
    ]);
  });

  it('leaves out messages whose time to live has passed', async () => {
    const queue = await lz.newQueue('inspect');
    await queue.sendMessage('short-lived', { messageTimeToLive: 60 });
    lz.clock.advance(61_000);
    expect(await snapshotOf(queue.name)).toMatchObject({ visibleCount: 0, invisibleCount: 0, messages: [] });
  });

  it('never lists an account that holds no queue', async () => {
    const snapshot = (await lz.service.inspect('nosuchaccount')) as QueueServiceSnapshot;
    expect(snapshot).toEqual({ kind: 'queue', accounts: {} });
  });
});
