import { randomBytes, randomUUID } from 'node:crypto';
import type { SignedIdentifier } from '../storage-common/access-policy.js';
import { compactAscii } from '../storage-common/compact-string.js';
import { plainCopy } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { SortedMap } from '../storage-common/sorted-map.js';
import { QueueDomainError } from './errors.js';
import type { QueueMessage, QueueRecord } from './model.js';
import { QueueMessages, type ByteCount } from './queue-messages.js';

interface AccountData {
  queues: SortedMap<QueueRecord>;
  serviceProperties: Record<string, unknown>;
}

export interface QueuePage {
  items: QueueRecord[];
  nextMarker?: string;
}

/** What a new message is: its text and, on the store's clock, when it shows and when it expires. */
export interface NewMessage {
  text: string;
  visibleAt: number;
  expiresAt: number;
}

/**
 * Every account's queues and messages, in memory. Knows nothing of HTTP:
 * times come in as arguments (the service clock) and failures are
 * {@link QueueDomainError}s. Messages handed out are copies, so a caller
 * never sees a later receive change what it holds.
 */
export class QueueStore {
  readonly #accounts = new Map<string, AccountData>();
  /** The cap on stored message bytes (`limits.maxStoredBytes`). */
  readonly quota: StorageQuota;
  // Kept by every queue as its messages change, so a capped write never walks the store to learn it.
  readonly #stored: ByteCount = { bytes: 0 };

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.#stored.bytes);
  }

  /** UTF-8 bytes of every message text held, expired ones not yet dropped included. */
  storedBytes(): number {
    return this.#stored.bytes;
  }

  /**
   * Creates a queue; `'unchanged'` when it already exists with exactly this
   * metadata (Azure answers that 204), QueueAlreadyExists when with other metadata.
   */
  createQueue(account: string, name: string, metadata: Record<string, string>): 'created' | 'unchanged' {
    const queues = this.#account(account).queues;
    const existing = queues.get(name);
    if (existing) {
      if (sameMetadata(existing.metadata, metadata)) return 'unchanged';
      throw new QueueDomainError('QueueAlreadyExists');
    }
    queues.set(name, { name, metadata, signedIdentifiers: [], messages: new QueueMessages(this.#stored) });
    return 'created';
  }

  deleteQueue(account: string, name: string): void {
    const queue = this.queue(account, name);
    queue.messages.clear();
    this.#account(account).queues.delete(name);
  }

  findQueue(account: string, name: string): QueueRecord | undefined {
    return this.#accounts.get(account)?.queues.get(name);
  }

  queue(account: string, name: string): QueueRecord {
    const queue = this.findQueue(account, name);
    if (!queue) throw new QueueDomainError('QueueNotFound');
    return queue;
  }

  /** Queues whose names start with `prefix`, by name, from `marker` (the first name of the page) on. */
  listQueues(account: string, prefix: string, marker: string | undefined, maxResults: number): QueuePage {
    const { items, next } = this.#account(account).queues.page(prefix, marker, maxResults);
    return { items, nextMarker: next };
  }

  setMetadata(queue: QueueRecord, metadata: Record<string, string>): void {
    queue.metadata = metadata;
  }

  setSignedIdentifiers(queue: QueueRecord, identifiers: SignedIdentifier[]): void {
    queue.signedIdentifiers = identifiers;
  }

  serviceProperties(account: string): Record<string, unknown> {
    return this.#account(account).serviceProperties;
  }

  setServiceProperties(account: string, properties: Record<string, unknown>): void {
    this.#account(account).serviceProperties = properties;
  }

  putMessage(queue: QueueRecord, message: NewMessage, now: number): QueueMessage {
    const stored: QueueMessage = { id: compactAscii(randomUUID()), insertedAt: now, dequeueCount: 0, popReceipt: newPopReceipt(), ...message };
    queue.messages.add(stored);
    return { ...stored };
  }

  /** Takes up to `count` visible messages, hiding each until `visibleAt` with a fresh pop receipt. */
  receive(queue: QueueRecord, count: number, visibleAt: number, now: number): QueueMessage[] {
    return queue.messages.visible(count, now).map((message) => {
      queue.messages.hide(message, visibleAt, { dequeueCount: message.dequeueCount + 1, popReceipt: newPopReceipt() });
      return { ...message };
    });
  }

  /** Up to `count` visible messages, left as they are. */
  peek(queue: QueueRecord, count: number, now: number): QueueMessage[] {
    return queue.messages.visible(count, now).map((message) => ({ ...message }));
  }

  deleteMessage(queue: QueueRecord, id: string, popReceipt: string, now: number): void {
    queue.messages.delete(this.#claimed(queue, id, popReceipt, now));
  }

  /** New visibility and, when given, new text; the old pop receipt stops working. */
  updateMessage(queue: QueueRecord, id: string, popReceipt: string, change: { text?: string; visibleAt: number }, now: number): QueueMessage {
    const message = this.#claimed(queue, id, popReceipt, now);
    queue.messages.hide(message, change.visibleAt, { ...(change.text !== undefined ? { text: change.text } : {}), popReceipt: newPopReceipt() });
    return { ...message };
  }

  clear(queue: QueueRecord): void {
    queue.messages.clear();
  }

  /** Messages not yet expired, visible or not. */
  messageCount(queue: QueueRecord, now: number): number {
    return queue.messages.size(now);
  }

  /** Accounts that hold queues; looking never creates an account. */
  accountNames(): string[] {
    return [...this.#accounts].filter(([, data]) => data.queues.size > 0).map(([name]) => name).sort();
  }

  /** An account's queues in name order. */
  queuesOf(account: string): QueueRecord[] {
    return [...(this.#accounts.get(account)?.queues.values() ?? [])];
  }

  /** Empties one account, or every account when none is named. */
  reset(account?: string): void {
    const emptied = account === undefined ? [...this.#accounts.keys()] : [account];
    for (const name of emptied) {
      for (const queue of this.#accounts.get(name)?.queues.values() ?? []) this.#stored.bytes -= queue.messages.bytes;
      this.#accounts.delete(name);
    }
  }

  /** A copy of one account's data for `restore`; its messages count against no quota. */
  capture(account: string): unknown {
    const data = this.#accounts.get(account);
    return data && copyAccount(data, { bytes: 0 });
  }

  /** Replaces one account's data with (a copy of) what `capture` returned, its messages counted again. */
  restore(account: string, captured: unknown): void {
    this.reset(account);
    if (captured !== undefined) this.#accounts.set(account, copyAccount(captured as AccountData, this.#stored));
  }

  #account(name: string): AccountData {
    let data = this.#accounts.get(name);
    if (!data) {
      data = { queues: new SortedMap(), serviceProperties: {} };
      this.#accounts.set(name, data);
    }
    return data;
  }

  #claimed(queue: QueueRecord, id: string, popReceipt: string, now: number): QueueMessage {
    const message = queue.messages.find(id, now);
    if (!message) throw new QueueDomainError('MessageNotFound');
    if (message.popReceipt !== popReceipt) throw new QueueDomainError('PopReceiptMismatch');
    return message;
  }
}

function newPopReceipt(): string {
  return randomBytes(16).toString('base64');
}

// Azure treats metadata names case-insensitively.
function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const normal = (m: Record<string, string>) =>
    JSON.stringify(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v]).sort(([x], [y]) => (x! < y! ? -1 : x! > y! ? 1 : 0)));
  return normal(a) === normal(b);
}

function copyAccount(data: AccountData, count: ByteCount): AccountData {
  const queues = data.queues.copy((queue) => ({
    name: queue.name,
    metadata: { ...queue.metadata },
    signedIdentifiers: plainCopy(queue.signedIdentifiers),
    messages: queue.messages.copy(count),
  }));
  return { queues, serviceProperties: plainCopy(data.serviceProperties) };
}
