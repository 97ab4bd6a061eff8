import { randomUUID } from 'node:crypto';
import { sbErrors } from './errors.js';
import type { StoredMessage } from './message.js';
import type { EntityProperties } from './model.js';

/** Something waiting for messages of an entity: a receiver link with credit. */
export interface MessageConsumer {
  /** Offer it what is available now. */
  pump(): void;
}

/** One session of a session-enabled entity. */
export interface SessionState {
  id: string;
  state?: Buffer;
  /** The receiver holding the session lock. */
  owner?: object;
  lockedUntil: number;
}

/** Why a message went to the dead-letter sub-queue, as Azure writes it in its properties. */
export interface DeadLetterReason {
  reason?: string;
  description?: string;
  /** Application properties to set on the dead-lettered message. */
  properties?: Record<string, unknown>;
}

/** Where dead-lettered and expired messages go: the entity's own sub-queue, or a forwarding target. */
export type DeadLetterSink = (message: StoredMessage) => void;

/**
 * The messages of one queue or subscription (or of its dead-letter
 * sub-queue), with peek-lock, deferral, scheduling, expiry and sessions, all
 * judged against the time given by the caller (the emulators' clock). Knows
 * nothing of AMQP: failures are the wire errors of `sbErrors`.
 */
export class MessageEntity {
  readonly #messages = new Map<number, StoredMessage>();
  readonly #byLock = new Map<string, StoredMessage>();
  // Tokens of session messages whose lock ran out, so settling with one reports the session's loss.
  readonly #lapsedSessionLocks = new Map<string, string>();
  readonly sessions = new Map<string, SessionState>();
  readonly consumers = new Set<MessageConsumer>();
  #sizeBytes = 0;
  // Earliest time something changes by itself (a lock, schedule or TTL runs out); Infinity when nothing will.
  #nextDeadline = Infinity;
  #pumpQueued = false;

  constructor(
    /** The entity path, e.g. `orders` or `events/Subscriptions/audit` (`.../$DeadLetterQueue` for the sub-queue). */
    readonly path: string,
    public properties: EntityProperties,
    /** Undefined on a dead-letter sub-queue: its messages go nowhere further. */
    public deadLetterSink: DeadLetterSink | undefined,
    /** The entity's dead-letter sub-queue; undefined on the sub-queue itself. */
    readonly deadLetterQueue?: MessageEntity,
  ) {}

  get sizeBytes(): number {
    return this.#sizeBytes;
  }

  get messageCount(): number {
    return this.#messages.size;
  }

  /** Messages by state, for runtime properties and the dashboard. */
  counts(now: number): { active: number; scheduled: number; deferred: number } {
    this.refresh(now);
    let active = 0;
    let scheduled = 0;
    let deferred = 0;
    for (const m of this.#messages.values()) {
      if (m.state === 'active') active++;
      else if (m.state === 'scheduled') scheduled++;
      else deferred++;
    }
    return { active, scheduled, deferred };
  }

  /** Every message in sequence order (read-only use). */
  messages(): IterableIterator<StoredMessage> {
    return this.#messages.values();
  }

  /** Adds a message (active or scheduled) and offers it to waiting receivers. */
  enqueue(message: StoredMessage): void {
    this.#messages.set(message.sequenceNumber, message);
    this.#sizeBytes += message.size;
    if (message.sessionId !== undefined && !this.sessions.has(message.sessionId)) {
      this.sessions.set(message.sessionId, { id: message.sessionId, lockedUntil: 0 });
    }
    this.#deadline(message.state === 'scheduled' ? message.scheduledAt! : message.expiresAt);
    this.notify();
  }

  /** Applies what the clock says: schedules come due, locks run out, messages expire. */
  refresh(now: number): void {
    if (now < this.#nextDeadline) return;
    let next = Infinity;
    for (const m of [...this.#messages.values()]) {
      if (m.state === 'scheduled') {
        if (m.scheduledAt! <= now) {
          m.state = 'active';
          m.enqueuedAt = m.scheduledAt!;
        } else {
          next = Math.min(next, m.scheduledAt!);
          continue;
        }
      }
      if (m.lock) {
        if (m.lock.until > now) {
          next = Math.min(next, m.lock.until);
          continue;
        }
        if (m.sessionId !== undefined) this.#rememberLapsed(m.lock.token, m.sessionId);
        this.#unlock(m);
        if (this.#exhausted(m)) {
          this.#deadLetterOut(m, maxDeliveryReason(this.properties.maxDeliveryCount));
          continue;
        }
      }
      if (m.expiresAt <= now && m.state !== 'deferred') {
        this.#expire(m);
        continue;
      }
      next = Math.min(next, m.expiresAt);
    }
    this.#nextDeadline = next;
    this.notify();
  }

  /**
   * The first message a receiver may take now: active, unlocked, in the
   * receiver's session when it has one (or outside sessions when it has none).
   */
  nextAvailable(now: number, sessionId: string | undefined): StoredMessage | undefined {
    this.refresh(now);
    for (const m of this.#messages.values()) {
      if (m.state === 'active' && !m.lock && m.sessionId === sessionId) return m;
    }
    return undefined;
  }

  /** Locks `message` for `owner` (peek-lock receive): a new token, a delivery counted. */
  lock(message: StoredMessage, now: number, owner: object): StoredMessage {
    const session = message.sessionId === undefined ? undefined : this.sessions.get(message.sessionId);
    const until = session ? session.lockedUntil : now + this.properties.lockDurationMs;
    message.lock = { token: randomUUID(), until, owner };
    message.deliveries++;
    this.#byLock.set(message.lock.token, message);
    this.#deadline(until);
    return message;
  }

  /** Removes `message` as delivered (receive-and-delete). */
  take(message: StoredMessage): StoredMessage {
    message.deliveries++;
    this.#remove(message);
    return message;
  }

  /** The locked message of `token`; MessageLockLost (or SessionLockLost) when the lock is gone. */
  locked(token: string, now: number): StoredMessage {
    this.refresh(now);
    const message = this.#byLock.get(token);
    if (!message || !message.lock || message.lock.until <= now) {
      const sessionId = message?.sessionId ?? this.#lapsedSessionLocks.get(token);
      if (sessionId !== undefined) throw sbErrors.sessionLockLost(sessionId);
      throw sbErrors.lockLost();
    }
    if (message.sessionId !== undefined) {
      const session = this.sessions.get(message.sessionId);
      if (!session || session.owner !== message.lock.owner || session.lockedUntil <= now) throw sbErrors.sessionLockLost(message.sessionId);
    }
    return message;
  }

  complete(token: string, now: number): void {
    this.#remove(this.locked(token, now));
  }

  /** Puts the message back (its properties updated); past MaxDeliveryCount it is dead-lettered. */
  abandon(token: string, now: number, properties?: Record<string, unknown>): void {
    const message = this.locked(token, now);
    modify(message, properties);
    this.#unlock(message);
    if (this.#exhausted(message)) this.#deadLetterOut(message, maxDeliveryReason(this.properties.maxDeliveryCount));
    this.notify();
  }

  defer(token: string, now: number, properties?: Record<string, unknown>): void {
    const message = this.locked(token, now);
    modify(message, properties);
    message.state = 'deferred';
    this.#unlock(message);
  }

  deadLetter(token: string, now: number, reason: DeadLetterReason): void {
    this.#deadLetterOut(this.locked(token, now), reason);
  }

  /** A new lock expiry for the message of `token`. */
  renewLock(token: string, now: number): number {
    const message = this.locked(token, now);
    message.lock!.until = now + this.properties.lockDurationMs;
    this.#deadline(message.lock!.until);
    return message.lock!.until;
  }

  /** Deferred messages by sequence number, locked for `owner` (or removed, for receive-and-delete). MessageNotFound names the first missing. */
  receiveDeferred(sequenceNumbers: number[], now: number, owner: object, receiveAndDelete: boolean, sessionId: string | undefined): StoredMessage[] {
    this.refresh(now);
    const found = sequenceNumbers.map((n) => {
      const m = this.#messages.get(n);
      if (!m || m.state !== 'deferred' || m.lock || m.sessionId !== sessionId) throw sbErrors.messageNotFound(n);
      return m;
    });
    return found.map((m) => (receiveAndDelete ? this.take(m) : this.lock(m, now, owner)));
  }

  /** Up to `count` messages from `fromSequence` on, in order, whatever their state (locked, deferred, scheduled included). */
  peek(fromSequence: number, count: number, now: number, sessionId: string | undefined): StoredMessage[] {
    this.refresh(now);
    const result: StoredMessage[] = [];
    for (const m of this.#messages.values()) {
      if (result.length >= count) break;
      if (m.sequenceNumber >= fromSequence && (sessionId === undefined || m.sessionId === sessionId)) result.push(m);
    }
    return result;
  }

  /** Removes a scheduled message; MessageNotFound when none has that number. */
  cancelScheduled(sequenceNumber: number): void {
    const m = this.#messages.get(sequenceNumber);
    if (!m || m.state !== 'scheduled') throw sbErrors.scheduledNotFound(sequenceNumber);
    this.#remove(m);
  }

  hasScheduled(sequenceNumber: number): boolean {
    return this.#messages.get(sequenceNumber)?.state === 'scheduled';
  }

  /**
   * Locks a session for `owner`. A session another live receiver holds gets
   * SessionCannotBeLocked. Returns the session with its lock expiry.
   */
  acceptSession(sessionId: string, now: number, owner: object): SessionState {
    this.refresh(now);
    let session = this.sessions.get(sessionId);
    if (!session) this.sessions.set(sessionId, (session = { id: sessionId, lockedUntil: 0 }));
    if (session.owner && session.owner !== owner && session.lockedUntil > now) throw sbErrors.sessionCannotBeLocked(sessionId);
    session.owner = owner;
    session.lockedUntil = now + this.properties.lockDurationMs;
    this.#deadline(session.lockedUntil);
    return session;
  }

  /** The unlocked session whose oldest available message comes first; undefined when none has messages. */
  nextAvailableSession(now: number): string | undefined {
    this.refresh(now);
    for (const m of this.#messages.values()) {
      if (m.state !== 'active' || m.lock || m.sessionId === undefined) continue;
      const session = this.sessions.get(m.sessionId);
      if (!session?.owner || session.lockedUntil <= now) return m.sessionId;
    }
    return undefined;
  }

  /** The session `owner` holds, with its lock still valid; SessionLockLost otherwise. */
  heldSession(sessionId: string, now: number, owner?: object): SessionState {
    const session = this.sessions.get(sessionId);
    if (!session || !session.owner || session.lockedUntil <= now || (owner !== undefined && session.owner !== owner)) throw sbErrors.sessionLockLost(sessionId);
    return session;
  }

  renewSessionLock(sessionId: string, now: number): number {
    const session = this.heldSession(sessionId, now);
    session.lockedUntil = now + this.properties.lockDurationMs;
    for (const m of this.#messages.values()) {
      if (m.lock && m.sessionId === sessionId && m.lock.owner === session.owner) m.lock.until = session.lockedUntil;
    }
    this.#deadline(session.lockedUntil);
    return session.lockedUntil;
  }

  /** Frees what `owner` held: its sessions, and the locked messages in them (which count as a failed delivery). */
  release(owner: object, now: number): void {
    for (const session of this.sessions.values()) {
      if (session.owner !== owner) continue;
      session.owner = undefined;
      session.lockedUntil = 0;
      for (const m of [...this.#messages.values()]) {
        if (m.sessionId !== session.id || m.lock?.owner !== owner) continue;
        this.#rememberLapsed(m.lock.token, session.id);
        this.#unlock(m);
        if (this.#exhausted(m)) this.#deadLetterOut(m, maxDeliveryReason(this.properties.maxDeliveryCount));
      }
      if (session.state === undefined && ![...this.#messages.values()].some((m) => m.sessionId === session.id)) this.sessions.delete(session.id);
    }
    this.refresh(now);
    this.notify();
  }

  /** Empties the entity: messages, locks, sessions and their state. */
  clear(): void {
    this.#messages.clear();
    this.#byLock.clear();
    this.#lapsedSessionLocks.clear();
    this.sessions.clear();
    this.#sizeBytes = 0;
    this.#nextDeadline = Infinity;
  }

  /** Asks every waiting receiver to look again, once per turn of the event loop. */
  notify(): void {
    if (this.#pumpQueued || this.consumers.size === 0) return;
    this.#pumpQueued = true;
    queueMicrotask(() => {
      this.#pumpQueued = false;
      for (const consumer of [...this.consumers]) consumer.pump();
    });
  }

  /** Whether anything will change by the clock alone, so a waiting receiver needs a later look. */
  get hasDeadline(): boolean {
    return this.#nextDeadline !== Infinity;
  }

  #exhausted(message: StoredMessage): boolean {
    return message.deliveries >= this.properties.maxDeliveryCount && this.deadLetterSink !== undefined;
  }

  #expire(message: StoredMessage): void {
    if (this.properties.deadLetteringOnMessageExpiration && this.deadLetterSink) {
      this.#deadLetterOut(message, { reason: 'TTLExpiredException', description: 'The message expired and was dead lettered.' });
    } else {
      this.#remove(message);
    }
  }

  #deadLetterOut(message: StoredMessage, reason: DeadLetterReason): void {
    this.#remove(message);
    if (!this.deadLetterSink) return;
    modify(message, {
      ...reason.properties,
      ...(reason.reason === undefined ? {} : { DeadLetterReason: reason.reason }),
      ...(reason.description === undefined ? {} : { DeadLetterErrorDescription: reason.description }),
    });
    message.state = 'active';
    message.expiresAt = Infinity;
    this.deadLetterSink(message);
  }

  #rememberLapsed(token: string, sessionId: string): void {
    this.#lapsedSessionLocks.set(token, sessionId);
    // Only recent tokens matter; a receiver settles within its lock duration or not at all.
    if (this.#lapsedSessionLocks.size > 10_000) this.#lapsedSessionLocks.delete(this.#lapsedSessionLocks.keys().next().value!);
  }

  #unlock(message: StoredMessage): void {
    if (message.lock) this.#byLock.delete(message.lock.token);
    message.lock = undefined;
  }

  #remove(message: StoredMessage): void {
    this.#unlock(message);
    if (this.#messages.delete(message.sequenceNumber)) this.#sizeBytes -= message.size;
  }

  #deadline(at: number): void {
    if (at < this.#nextDeadline) this.#nextDeadline = at;
  }
}

function maxDeliveryReason(max: number): DeadLetterReason {
  return { reason: 'MaxDeliveryCountExceeded', description: `Message could not be consumed after ${max} delivery attempts.` };
}

function modify(message: StoredMessage, properties: Record<string, unknown> | undefined): void {
  if (!properties || Object.keys(properties).length === 0) return;
  message.message = {
    ...message.message,
    application_properties: { ...(message.message.application_properties as Record<string, unknown> | undefined), ...properties },
  };
}
