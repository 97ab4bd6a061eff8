/** One event as a partition keeps it: the message as its producer encoded it, plus what the service stamped on it. */
export interface StoredEvent {
  sequenceNumber: number;
  /** Bytes of the partition's log before this event; Azure's offsets are positions in that log. */
  offset: number;
  enqueuedTime: number;
  partitionKey: string | undefined;
  /** The AMQP message's bytes as sent; delivery only puts annotations in. */
  encoded: Buffer;
  size: number;
}

/** Where a receiver starts, from its attach's selector filter. */
export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number; inclusive: boolean }
  | { kind: 'sequence'; sequenceNumber: number; inclusive: boolean }
  | { kind: 'enqueued'; after: number };

/** What a reader of the partition hears: new events, and the log being emptied by a reset. */
export interface PartitionListener {
  appended(): void;
  cleared(): void;
}

export interface PartitionProperties {
  beginningSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOffset: number;
  lastEnqueuedTime: number;
  isEmpty: boolean;
}

/** A partition's log as `PartitionLog.capture` returns it. */
export interface PartitionCapture {
  events: StoredEvent[];
  nextSequence: number;
  nextOffset: number;
}

/**
 * One partition: an append-only log with contiguous sequence numbers from 0,
 * whose oldest events fall away once older than the hub's retention on the
 * emulators' clock (checked lazily, whenever the log is read).
 */
export class PartitionLog {
  readonly listeners = new Set<PartitionListener>();
  #events: StoredEvent[] = [];
  #nextSequence = 0;
  #nextOffset = 0;
  #last: StoredEvent | undefined;

  constructor(
    readonly id: string,
    readonly retentionMs: number,
  ) {}

  /** The sequence number the next appended event gets. */
  get nextSequence(): number {
    return this.#nextSequence;
  }

  get storedCount(): number {
    return this.#events.length;
  }

  append(events: { encoded: Buffer; partitionKey: string | undefined }[], now: number): StoredEvent[] {
    const stored = events.map(({ encoded, partitionKey }) => {
      const event: StoredEvent = { sequenceNumber: this.#nextSequence++, offset: this.#nextOffset, enqueuedTime: now, partitionKey, encoded, size: encoded.length };
      this.#nextOffset += encoded.length;
      return event;
    });
    this.#events.push(...stored);
    this.#last = stored.at(-1) ?? this.#last;
    for (const listener of this.listeners) listener.appended();
    return stored;
  }

  /** The sequence number of the first event a receiver starting at `position` gets. */
  startingSequence(position: StartPosition, now: number): number {
    this.#expire(now);
    const first = this.#firstSequence();
    switch (position.kind) {
      case 'earliest':
        return first;
      case 'latest':
        return this.#nextSequence;
      case 'sequence':
        return Math.max(first, position.inclusive ? position.sequenceNumber : position.sequenceNumber + 1);
      case 'offset': {
        const found = this.#events.find((e) => (position.inclusive ? e.offset >= position.offset : e.offset > position.offset));
        return found?.sequenceNumber ?? this.#nextSequence;
      }
      case 'enqueued': {
        const found = this.#events.find((e) => e.enqueuedTime > position.after);
        return found?.sequenceNumber ?? this.#nextSequence;
      }
    }
  }

  /**
   * Up to `max` events from sequence number `from` on; events retention
   * already removed are skipped, so a slow reader moves on to the oldest kept.
   */
  read(from: number, max: number, now: number): StoredEvent[] {
    this.#expire(now);
    const start = Math.max(0, from - this.#firstSequence());
    return this.#events.slice(start, start + max);
  }

  properties(now: number): PartitionProperties {
    this.#expire(now);
    return {
      beginningSequenceNumber: this.#firstSequence(),
      lastEnqueuedSequenceNumber: this.#nextSequence - 1,
      lastEnqueuedOffset: this.#last?.offset ?? -1,
      lastEnqueuedTime: this.#last?.enqueuedTime ?? 0,
      isEmpty: this.#events.length === 0,
    };
  }

  /** Back to a new partition: no events, numbering from 0; readers start over with what comes next. */
  clear(): void {
    this.#events = [];
    this.#nextSequence = 0;
    this.#nextOffset = 0;
    this.#last = undefined;
    for (const listener of this.listeners) listener.cleared();
  }

  /** The log as it stands, for a snapshot; its events are shared, since the log never changes one. */
  capture(): PartitionCapture {
    return { events: [...this.#events], nextSequence: this.#nextSequence, nextOffset: this.#nextOffset };
  }

  /** Puts back what `capture` returned; readers keep their position and are told to look again. */
  restore(captured: PartitionCapture): void {
    this.#events = [...captured.events];
    this.#nextSequence = captured.nextSequence;
    this.#nextOffset = captured.nextOffset;
    this.#last = this.#events.at(-1);
    for (const listener of this.listeners) listener.appended();
  }

  #firstSequence(): number {
    return this.#events[0]?.sequenceNumber ?? this.#nextSequence;
  }

  #expire(now: number): void {
    const cutoff = now - this.retentionMs;
    let drop = 0;
    while (drop < this.#events.length && this.#events[drop]!.enqueuedTime <= cutoff) drop++;
    if (drop > 0) this.#events = this.#events.slice(drop);
  }
}
