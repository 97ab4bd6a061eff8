import { randomBytes, randomUUID } from 'node:crypto';
import type { SignedIdentifier } from '../storage-common/access-policy.js';
import { captureEntry, restoreEntry } from '../storage-common/plain-copy.js';
import { StorageQuota } from '../storage-common/quota.js';
import { QueueDomainError } from './errors.js';
import type { QueueMessage, QueueRecord } from './model.js';

interface AccountData {
  queues: Map<string, QueueRecord>;
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

  constructor(maxStoredBytes?: number) {
    this.quota = new StorageQuota(maxStoredBytes, () => this.storedBytes());
  }

  /** UTF-8 bytes of every message text held, expired ones not yet dropped included. */
  storedBytes(): number {
    let total = 0;
    for (const { queues } of this.#accounts.values()) {
      for (const queue of queues.values()) for (const message of queue.messages) total += Buffer.byteLength(message.text);
    }
    return total;
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
    queues.set(name, { name, metadata, signedIdentifiers: [], messages: [] });
    return 'created';
  }

  deleteQueue(account: string, name: string): void {
    if (!this.#account(account).queues.delete(name)) throw new QueueDomainError('QueueNotFound');
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
    const names = [...this.#account(account).queues.keys()]
      .filter((name) => name.startsWith(prefix) && (marker === undefined || name >= marker))
      .sort();
    const queues = this.#account(account).queues;
    return {
      items: names.slice(0, maxResults).map((name) => queues.get(name)!),
      nextMarker: names[maxResults],
    };
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
    const stored: QueueMessage = { id: randomUUID(), insertedAt: now, dequeueCount: 0, popReceipt: newPopReceipt(), ...message };
    queue.messages.push(stored);
    return { ...stored };
  }

  /** Takes up to `count` visible messages, hiding each until `visibleAt` with a fresh pop receipt. */
  receive(queue: QueueRecord, count: number, visibleAt: number, now: number): QueueMessage[] {
    return this.#visible(queue, now)
      .slice(0, count)
      .map((message) => {
        message.dequeueCount += 1;
        message.visibleAt = visibleAt;
        message.popReceipt = newPopReceipt();
        return { ...message };
      });
  }

  /** Up to `count` visible messages, left as they are. */
  peek(queue: QueueRecord, count: number, now: number): QueueMessage[] {
    return this.#visible(queue, now)
      .slice(0, count)
      .map((message) => ({ ...message }));
  }

  deleteMessage(queue: QueueRecord, id: string, popReceipt: string, now: number): void {
    const message = this.#claimed(queue, id, popReceipt, now);
    queue.messages.splice(queue.messages.indexOf(message), 1);
  }

  /** New visibility and, when given, new text; the old pop receipt stops working. */
  updateMessage(queue: QueueRecord, id: string, popReceipt: string, change: { text?: string; visibleAt: number }, now: number): QueueMessage {
    const message = this.#claimed(queue, id, popReceipt, now);
    if (change.text !== undefined) message.text = change.text;
    message.visibleAt = change.visibleAt;
    message.popReceipt = newPopReceipt();
    return { ...message };
  }

  clear(queue: QueueRecord): void {
    queue.messages = [];
  }

  /** Messages not yet expired, visible or not. */
  messageCount(queue: QueueRecord, now: number): number {
    return this.#live(queue, now).length;
  }

  /** Empties one account, or every account when none is named. */
  /** Accounts that hold queues; looking never creates an account. */
  accountNames(): string[] {
    return [...this.#accounts].filter(([, data]) => data.queues.size > 0).map(([name]) => name).sort();
  }

  queuesOf(account: string): QueueRecord[] {
    return [...(this.#accounts.get(account)?.queues.values() ?? [])];
  }

  reset(account?: string): void {
    if (account === undefined) this.#accounts.clear();
    else this.#accounts.delete(account);
  }

  /** A copy of one account's data for `restore`, sharing its unchanging bytes (see plainCopy). */
  capture(account: string): unknown {
    return captureEntry(this.#accounts, account);
  }

  /** Replaces one account's data with what `capture` returned. */
  restore(account: string, captured: unknown): void {
    restoreEntry(this.#accounts, account, captured as AccountData | undefined);
  }

  #account(name: string): AccountData {
    let data = this.#accounts.get(name);
    if (!data) {
      data = { queues: new Map(), serviceProperties: {} };
      this.#accounts.set(name, data);
    }
    return data;
  }

  // Expired messages are dropped when next looked at: nothing needs a timer, and the clock may jump.
  #live(queue: QueueRecord, now: number): QueueMessage[] {
    if (queue.messages.some((m) => m.expiresAt <= now)) queue.messages = queue.messages.filter((m) => m.expiresAt > now);
    return queue.messages;
  }

  #visible(queue: QueueRecord, now: number): QueueMessage[] {
    return this.#live(queue, now).filter((m) => m.visibleAt <= now);
  }

  #claimed(queue: QueueRecord, id: string, popReceipt: string, now: number): QueueMessage {
    const message = this.#live(queue, now).find((m) => m.id === id);
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
