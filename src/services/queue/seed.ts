import type { SeedSource } from '../../core/service.js';
import { isValidDnsStyleName } from '../storage-common/names.js';
import { StorageSeedError } from '../storage-common/seed-error.js';
import { readSeedJsonFiles } from '../storage-common/seed-folder.js';
import { MAX_MESSAGE_BYTES, NEVER_EXPIRES } from './model.js';
import type { QueueStore } from './queue-store.js';

/** Seed data that cannot be loaded: a bad queue name, a file outside the seed folder, a wrong shape. */
export class QueueSeedError extends StorageSeedError {}

type SeedQueues = Array<{ queue: string; messages: unknown }>;

/** One seeded queue and its message texts, read and checked once for every account. */
export interface QueueSeedItem {
  queue: string;
  texts: readonly string[];
}

/**
 * Reads and checks `<dir>/queue/<queue>.json` (a JSON array of message
 * texts) and inline `data.queue` (`{ <queue>: [texts] }`).
 */
export async function readQueueSeed(seed: SeedSource | undefined): Promise<QueueSeedItem[]> {
  if (!seed) return [];
  const queues: SeedQueues = [];
  if (seed.dir !== undefined) queues.push(...(await readSeedFolder(seed.dir)));
  if (seed.data?.queue !== undefined) queues.push(...readInline(seed.data.queue));
  return queues.map(({ queue, messages }) => ({ queue, texts: checkedTexts(queue, messages) }));
}

/**
 * Creates the seeded queues in one account, each holding exactly its seed
 * messages: applying the seed again leaves the same messages, not twice as
 * many. Seeded messages are visible at once and never expire, so a test
 * that moves the clock forward does not lose its fixtures.
 */
export function applyQueueSeed(store: QueueStore, account: string, items: readonly QueueSeedItem[], now: number): void {
  for (const { queue, texts } of items) {
    if (!store.findQueue(account, queue)) store.createQueue(account, queue, {});
    const target = store.queue(account, queue);
    store.clear(target);
    for (const text of texts) store.putMessage(target, { text, visibleAt: now, expiresAt: NEVER_EXPIRES }, now);
  }
}

function checkedTexts(queue: string, messages: unknown): string[] {
  if (!isValidDnsStyleName(queue)) {
    throw new QueueSeedError(`Seed queue "${queue}" is not a valid queue name: use 3-63 lowercase letters, digits and single hyphens.`);
  }
  if (!Array.isArray(messages) || messages.some((m) => typeof m !== 'string')) {
    throw new QueueSeedError(`Seed queue "${queue}" must be an array of message texts, e.g. ["first", "second"].`);
  }
  const tooLarge = (messages as string[]).findIndex((m) => Buffer.byteLength(m, 'utf8') > MAX_MESSAGE_BYTES);
  if (tooLarge !== -1) throw new QueueSeedError(`Seed message ${tooLarge} of queue "${queue}" is larger than 64 KiB, the most a queue message may hold.`);
  return messages as string[];
}

async function readSeedFolder(dir: string): Promise<SeedQueues> {
  const files = await readSeedJsonFiles(dir, 'queue', QueueSeedError);
  return files.map(({ name, value }) => ({ queue: name, messages: value }));
}

function readInline(data: unknown): SeedQueues {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new QueueSeedError('Inline queue seed must be an object of queues, e.g. { orders: ["first message"] }.');
  }
  return Object.entries(data).map(([queue, messages]) => ({ queue, messages }));
}
