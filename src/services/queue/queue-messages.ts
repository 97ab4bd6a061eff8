import { SortedList } from '../storage-common/sorted-list.js';
import type { QueueMessage } from './model.js';

/** The stored-bytes count a store keeps across its queues; each queue adds and takes away its own share. */
export interface ByteCount {
  bytes: number;
}

type Stored = QueueMessage & { readonly seq: number };

const bySeq = (a: Stored, b: Stored) => a.seq - b.seq;
const byVisibleAt = (a: Stored, b: Stored) => a.visibleAt - b.visibleAt || a.seq - b.seq;
const byExpiresAt = (a: Stored, b: Stored) => a.expiresAt - b.expiresAt || a.seq - b.seq;

/**
 * One queue's messages, indexed so that receiving, peeking, deleting and
 * updating cost O(log n) whatever the queue holds: by id; visible ones in
 * the order they were put (the order receive hands them out); hidden ones
 * by when they show; all by when they expire. Time is always the caller's
 * clock reading: expired messages go and hidden ones show when next looked
 * at, so nothing needs a timer and the clock may jump either way.
 */
export class QueueMessages {
  readonly #byId = new Map<string, Stored>();
  #visible = new SortedList<Stored>(bySeq);
  #hidden = new SortedList<Stored>(byVisibleAt);
  #expiring = new SortedList<Stored>(byExpiresAt);
  #nextSeq = 0;
  #bytes = 0;

  constructor(readonly count: ByteCount) {}

  /** UTF-8 bytes of the texts held, expired ones not yet dropped included. */
  get bytes(): number {
    return this.#bytes;
  }

  add(message: QueueMessage): void {
    // Spelled out: a spread followed by one more property makes a slow-mode object four times the size.
    const stored: Stored = {
      id: message.id,
      text: message.text,
      insertedAt: message.insertedAt,
      expiresAt: message.expiresAt,
      visibleAt: message.visibleAt,
      dequeueCount: message.dequeueCount,
      popReceipt: message.popReceipt,
      seq: this.#nextSeq++,
    };
    this.#byId.set(stored.id, stored);
    this.#expiring.add(stored);
    // Put already visible (most are): a queue filled at once need not move every message when first received from.
    (stored.visibleAt <= stored.insertedAt ? this.#visible : this.#hidden).add(stored);
    this.#addBytes(Buffer.byteLength(stored.text));
  }

  /** The live message with this id, or undefined. */
  find(id: string, now: number): QueueMessage | undefined {
    this.#settle(now);
    return this.#byId.get(id);
  }

  /** Up to `count` visible messages, oldest first, as stored (callers copy what they hand out). */
  visible(count: number, now: number): QueueMessage[] {
    this.#settle(now);
    const out: QueueMessage[] = [];
    for (const message of this.#visible) {
      if (out.length === count) break;
      if (message.visibleAt <= now) {
        out.push(message);
      } else {
        // The clock went back past when it showed: hidden again until then.
        this.#visible.delete(message);
        this.#hidden.add(message);
      }
    }
    return out;
  }

  /** Hides a message until `visibleAt` and applies `change` to it. */
  hide(message: QueueMessage, visibleAt: number, change: Partial<Pick<QueueMessage, 'text' | 'popReceipt' | 'dequeueCount'>>): void {
    const stored = message as Stored;
    if (!this.#visible.delete(stored)) this.#hidden.delete(stored);
    if (change.text !== undefined) this.#addBytes(Buffer.byteLength(change.text) - Buffer.byteLength(stored.text));
    Object.assign(stored, change, { visibleAt });
    this.#hidden.add(stored);
  }

  delete(message: QueueMessage): void {
    const stored = message as Stored;
    if (!this.#byId.delete(stored.id)) return;
    if (!this.#visible.delete(stored)) this.#hidden.delete(stored);
    this.#expiring.delete(stored);
    this.#addBytes(-Buffer.byteLength(stored.text));
  }

  clear(): void {
    this.#byId.clear();
    this.#visible.clear();
    this.#hidden.clear();
    this.#expiring.clear();
    this.#addBytes(-this.#bytes);
  }

  /** A copy of every message held, in the same order, counting its bytes in `count` (a snapshot's copy counts in none). */
  copy(count: ByteCount): QueueMessages {
    const copy = new QueueMessages(count);
    // Messages change in place (hide), so each is copied; the indexes keep their order and are copied, not rebuilt.
    const copies = new Map<Stored, Stored>();
    for (const [id, message] of this.#byId) {
      const stored = { ...message };
      copies.set(message, stored);
      copy.#byId.set(id, stored);
    }
    const copyOf = (message: Stored) => copies.get(message)!;
    copy.#visible = this.#visible.copy(copyOf);
    copy.#hidden = this.#hidden.copy(copyOf);
    copy.#expiring = this.#expiring.copy(copyOf);
    copy.#nextSeq = this.#nextSeq;
    copy.#addBytes(this.#bytes);
    return copy;
  }

  /** Messages not yet expired, visible or not. */
  size(now: number): number {
    this.#settle(now);
    return this.#byId.size;
  }

  /** Every message held, in the order they were put, expired ones not yet dropped included. */
  all(): Iterable<QueueMessage> {
    return this.#byId.values();
  }

  #settle(now: number): void {
    for (let first = this.#expiring.first(); first !== undefined && first.expiresAt <= now; first = this.#expiring.first()) this.delete(first);
    for (let first = this.#hidden.first(); first !== undefined && first.visibleAt <= now; first = this.#hidden.first()) {
      this.#hidden.delete(first);
      this.#visible.add(first);
    }
  }

  #addBytes(delta: number): void {
    this.#bytes += delta;
    this.count.bytes += delta;
  }
}
