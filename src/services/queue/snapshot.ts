import type { SnapshotAdapter } from '../../core/snapshot-json.js';
import type { QueueMessage } from './model.js';
import { QueueMessages } from './queue-messages.js';

/** A queue's messages in a snapshot file: each message (id, text, times, pop receipt) in the order they were put. */
const queueMessagesAdapter: SnapshotAdapter<QueueMessages> = {
  tag: 'QueueMessages',
  accepts: (value): value is QueueMessages => value instanceof QueueMessages,
  encode: (messages) =>
    [...messages.all()].map(({ id, text, insertedAt, expiresAt, visibleAt, dequeueCount, popReceipt }) => ({ id, text, insertedAt, expiresAt, visibleAt, dequeueCount, popReceipt })),
  decode: (list) => {
    if (!Array.isArray(list)) throw new TypeError('queue messages are a list');
    // Counted in no store: restoring copies them into the store's count.
    const messages = new QueueMessages({ bytes: 0 });
    for (const message of list as QueueMessage[]) messages.add(message);
    return messages;
  },
};

export const QUEUE_SNAPSHOT_ADAPTERS: SnapshotAdapter[] = [queueMessagesAdapter as SnapshotAdapter];
