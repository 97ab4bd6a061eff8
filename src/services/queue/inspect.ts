import {
  SNAPSHOT_LIST_LIMIT,
  SNAPSHOT_PREVIEW_CHARS,
  type QueueMessageSnapshot,
  type QueueServiceSnapshot,
  type QueueSnapshot,
} from '../../core/inspection.js';
import type { QueueMessage, QueueRecord } from './model.js';
import type { QueueStore } from './queue-store.js';

/** What the queue store holds for one account (every account when none is named), read without changing anything. */
export function inspectQueues(store: QueueStore, now: number, account?: string): QueueServiceSnapshot {
  const names = store.accountNames().filter((n) => account === undefined || n === account);
  return {
    kind: 'queue',
    accounts: Object.fromEntries(
      names.map((name) => [
        name,
        { queues: store.queuesOf(name).map((q) => queueSnapshot(q, now)) },
      ]),
    ),
  };
}

function queueSnapshot(queue: QueueRecord, now: number): QueueSnapshot {
  // Expired messages linger until the store next touches the queue; clients never see them, so neither does this.
  const live = [...queue.messages.all()].filter((m) => m.expiresAt > now);
  const visibleCount = live.filter((m) => m.visibleAt <= now).length;
  return {
    name: queue.name,
    metadata: { ...queue.metadata },
    visibleCount,
    invisibleCount: live.length - visibleCount,
    messages: live.slice(0, SNAPSHOT_LIST_LIMIT).map((m) => messageSnapshot(m, now)),
  };
}

function messageSnapshot(message: QueueMessage, now: number): QueueMessageSnapshot {
  return {
    id: message.id,
    preview: message.text.slice(0, SNAPSHOT_PREVIEW_CHARS),
    visible: message.visibleAt <= now,
    dequeueCount: message.dequeueCount,
    insertedOn: new Date(message.insertedAt).toISOString(),
    expiresOn: new Date(message.expiresAt).toISOString(),
    nextVisibleOn: new Date(message.visibleAt).toISOString(),
  };
}
