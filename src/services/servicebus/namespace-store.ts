import type rhea from 'rhea';
import { randomUUID } from 'node:crypto';
import { sbErrors } from './errors.js';
import { scheduledTime, type StoredMessage } from './message.js';
import { MessageEntity } from './message-entity.js';
import type { EntityProperties, NamespaceDefinition, RuleDefinition } from './model.js';
import { compileRule, type CompiledRule } from './rules.js';

const DEAD_LETTER_SUFFIX = '/$deadletterqueue';
const SUBSCRIPTIONS = '/subscriptions/';
/** Auto-forwarding chains longer than this are cut, as Azure limits them to 4 hops. */
const MAX_FORWARD_HOPS = 4;

export interface Queue {
  kind: 'queue';
  name: string;
  entity: MessageEntity;
  /** Message id → when it was first seen, for duplicate detection. */
  seen: Map<string, number>;
  nextSequence: number;
}

export interface Subscription {
  name: string;
  topic: Topic;
  entity: MessageEntity;
  rules: CompiledRule[];
}

export interface Topic {
  kind: 'topic';
  name: string;
  properties: EntityProperties;
  subscriptions: Map<string, Subscription>;
  seen: Map<string, number>;
  nextSequence: number;
}

/** What an address names: somewhere to send, and/or somewhere to receive from. */
export type Resolved =
  | { kind: 'queue'; queue: Queue; entity: MessageEntity; deadLetter: boolean }
  | { kind: 'topic'; topic: Topic }
  | { kind: 'subscription'; subscription: Subscription; entity: MessageEntity; deadLetter: boolean };

/** A message on its way in, before the entity assigns a sequence number. */
export interface IncomingMessage {
  message: rhea.Message;
  size: number;
}

/**
 * The queues, topics and subscriptions of one namespace, and how messages
 * travel between them: duplicate detection, fan-out by rules, scheduling,
 * auto-forwarding and dead-letter forwarding. Addresses and names compare
 * case-insensitively, as in Azure.
 */
export class ServiceBusNamespace {
  readonly queues = new Map<string, Queue>();
  readonly topics = new Map<string, Topic>();

  constructor(readonly name: string) {}

  /** Replaces every entity with `definition`'s, all empty. */
  define(definition: NamespaceDefinition): void {
    this.queues.clear();
    this.topics.clear();
    for (const q of definition.queues) this.addQueue(q.name, q.properties);
    for (const t of definition.topics) {
      const topic = this.addTopic(t.name, t.properties);
      for (const s of t.subscriptions) this.addSubscription(topic, s.name, s.properties, s.rules);
    }
  }

  /** Adds the entities of `definition` this namespace lacks; what exists stays as it is. */
  addMissing(definition: NamespaceDefinition): void {
    for (const q of definition.queues) if (!this.resolve(q.name)) this.addQueue(q.name, q.properties);
    for (const t of definition.topics) {
      const topic = this.topics.get(t.name.toLowerCase()) ?? (this.resolve(t.name) ? undefined : this.addTopic(t.name, t.properties));
      if (!topic) continue;
      for (const s of t.subscriptions) if (!topic.subscriptions.has(s.name.toLowerCase())) this.addSubscription(topic, s.name, s.properties, s.rules);
    }
  }

  addQueue(name: string, properties: EntityProperties): Queue {
    const queue: Queue = { kind: 'queue', name, entity: this.#entity(name, properties), seen: new Map(), nextSequence: 1 };
    this.queues.set(name.toLowerCase(), queue);
    return queue;
  }

  addTopic(name: string, properties: EntityProperties): Topic {
    const topic: Topic = { kind: 'topic', name, properties, subscriptions: new Map(), seen: new Map(), nextSequence: 1 };
    this.topics.set(name.toLowerCase(), topic);
    return topic;
  }

  addSubscription(topic: Topic, name: string, properties: EntityProperties, rules: RuleDefinition[]): Subscription {
    const subscription: Subscription = {
      name,
      topic,
      entity: this.#entity(`${topic.name}/Subscriptions/${name}`, properties),
      rules: rules.map(compileRule),
    };
    topic.subscriptions.set(name.toLowerCase(), subscription);
    return subscription;
  }

  /**
   * Empties every entity (messages, locks, sessions, schedules, duplicate
   * history); the entities stay. Sequence numbers go on growing, as in Azure:
   * clients remember the last one they peeked.
   */
  clear(): void {
    for (const queue of this.queues.values()) {
      queue.entity.clear();
      deadLetterOf(queue.entity).clear();
      queue.seen.clear();
    }
    for (const topic of this.topics.values()) {
      topic.seen.clear();
      for (const sub of topic.subscriptions.values()) {
        sub.entity.clear();
        deadLetterOf(sub.entity).clear();
      }
    }
  }

  /** What `address` names; undefined when nothing does. */
  resolve(address: string): Resolved | undefined {
    let path = address.toLowerCase().replace(/^\/+|\/+$/g, '');
    const deadLetter = path.endsWith(DEAD_LETTER_SUFFIX);
    if (deadLetter) path = path.slice(0, -DEAD_LETTER_SUFFIX.length);
    const queue = this.queues.get(path);
    if (queue) return { kind: 'queue', queue, entity: deadLetter ? deadLetterOf(queue.entity) : queue.entity, deadLetter };
    const at = path.indexOf(SUBSCRIPTIONS);
    if (at > 0) {
      const subscription = this.topics.get(path.slice(0, at))?.subscriptions.get(path.slice(at + SUBSCRIPTIONS.length));
      if (subscription) {
        return { kind: 'subscription', subscription, entity: deadLetter ? deadLetterOf(subscription.entity) : subscription.entity, deadLetter };
      }
      return undefined;
    }
    const topic = this.topics.get(path);
    return topic && !deadLetter ? { kind: 'topic', topic } : undefined;
  }

  /** Like resolve, but MessagingEntityNotFound when nothing is there. */
  require(address: string, endpoint: string): Resolved {
    const resolved = this.resolve(address);
    if (!resolved) throw sbErrors.entityNotFound(`${endpoint}${address}`);
    return resolved;
  }

  /**
   * Accepts messages sent to a queue or topic: checks status, size quota and
   * sessions for all of them first (so a refused batch leaves nothing behind),
   * then enqueues each, scheduled when it carries a future enqueue time.
   * Returns the sequence numbers assigned (duplicates get none).
   */
  send(target: Resolved, messages: IncomingMessage[], now: number, endpoint: string, scheduleAt?: number): number[] {
    if (target.kind === 'subscription' || (target.kind === 'queue' && target.deadLetter)) {
      throw sbErrors.badRequest(`Cannot send to '${target.entity.path}': send to its topic (or queue) instead.`);
    }
    const properties = target.kind === 'queue' ? target.queue.entity.properties : target.topic.properties;
    const path = target.kind === 'queue' ? target.queue.name : target.topic.name;
    if (properties.status === 'Disabled') throw sbErrors.disabled(`${endpoint}${path}`, undefined);
    if (properties.status === 'SendDisabled') throw sbErrors.disabled(`${endpoint}${path}`, 'Send');
    const bytes = messages.reduce((n, m) => n + m.size, 0);
    const stores = target.kind === 'queue' ? [target.queue.entity] : [...target.topic.subscriptions.values()].map((s) => s.entity);
    for (const store of stores) {
      if (store.sizeBytes + bytes > properties.maxSizeBytes) throw sbErrors.quotaExceeded(`${endpoint}${path}`, properties.maxSizeBytes);
    }
    if (target.kind === 'queue' && properties.requiresSession && messages.some((m) => m.message.group_id === undefined || m.message.group_id === null)) {
      throw sbErrors.sessionIdMissing(`${endpoint}${path}`);
    }
    return messages.flatMap((incoming) => {
      const sequence = target.kind === 'queue' ? target.queue : target.topic;
      if (!assignMessageId(incoming.message) && properties.requiresDuplicateDetection) {
        if (isDuplicate(sequence.seen, String(incoming.message.message_id), now, properties.duplicateDetectionHistoryTimeWindowMs)) return [];
      }
      const sequenceNumber = sequence.nextSequence++;
      const at = scheduleAt ?? scheduledTime(incoming.message);
      const stored = (entityProperties: EntityProperties): StoredMessage => ({
        sequenceNumber,
        message: incoming.message,
        size: incoming.size,
        enqueuedAt: at !== undefined && at > now ? at : now,
        expiresAt: expiry(incoming.message, entityProperties, at !== undefined && at > now ? at : now),
        deliveries: 0,
        state: at !== undefined && at > now ? 'scheduled' : 'active',
        ...(at !== undefined && at > now ? { scheduledAt: at } : {}),
        ...(incoming.message.group_id === undefined || incoming.message.group_id === null ? {} : { sessionId: String(incoming.message.group_id) }),
      });
      if (target.kind === 'queue') {
        this.#deliver(target.queue.entity, stored(target.queue.entity.properties), 0);
      } else {
        for (const subscription of target.topic.subscriptions.values()) {
          const rule = subscription.rules.find((r) => r.matches(incoming.message));
          if (!rule) continue;
          const copy = stored(subscription.entity.properties);
          copy.message = rule.apply(incoming.message);
          this.#deliver(subscription.entity, copy, 0);
        }
      }
      return [sequenceNumber];
    });
  }

  /** Cancels scheduled messages of a queue or topic (every subscription's copy). */
  cancelScheduled(target: Resolved, sequenceNumbers: number[]): void {
    const stores = target.kind === 'topic' ? [...target.topic.subscriptions.values()].map((s) => s.entity) : [target.entity];
    for (const n of sequenceNumbers) {
      const holders = stores.filter((s) => s.hasScheduled(n));
      // A topic message no subscription took was scheduled all the same; cancelling it is a no-op.
      if (holders.length === 0 && target.kind !== 'topic') throw sbErrors.scheduledNotFound(n);
      for (const store of holders) store.cancelScheduled(n);
    }
  }

  // Auto-forwarding moves a message on arrival; the target assigns nothing new, as Azure keeps its identity.
  #deliver(entity: MessageEntity, message: StoredMessage, hops: number): void {
    const forwardTo = entity.properties.forwardTo;
    if (forwardTo && hops < MAX_FORWARD_HOPS) {
      const target = this.resolve(forwardTo);
      if (target?.kind === 'queue') return this.#deliver(target.queue.entity, { ...message, sequenceNumber: target.queue.nextSequence++ }, hops + 1);
      if (target?.kind === 'topic') {
        for (const sub of target.topic.subscriptions.values()) {
          const rule = sub.rules.find((r) => r.matches(message.message));
          if (rule) this.#deliver(sub.entity, { ...message, message: rule.apply(message.message) }, hops + 1);
        }
        return;
      }
    }
    entity.enqueue(message);
  }

  #entity(path: string, properties: EntityProperties): MessageEntity {
    const deadLetter = new MessageEntity(`${path}/$DeadLetterQueue`, properties, undefined);
    const entity = new MessageEntity(path, properties, undefined, deadLetter);
    entity.deadLetterSink = (message) => {
      const forward = entity.properties.forwardDeadLetteredMessagesTo;
      const target = forward ? this.resolve(forward) : undefined;
      if (target?.kind === 'queue') {
        target.queue.entity.enqueue({ ...message, sequenceNumber: target.queue.nextSequence++, deadLetterSource: path });
      } else if (target?.kind === 'topic') {
        this.send(target, [{ message: message.message, size: message.size }], message.enqueuedAt, '');
      } else {
        deadLetter.enqueue(message);
      }
    };
    return entity;
  }
}

/** The dead-letter sub-queue of a queue's or subscription's entity. */
export function deadLetterOf(entity: MessageEntity): MessageEntity {
  return entity.deadLetterQueue ?? entity;
}

// Every message needs an id: the SDK settles nothing without one. Returns true when it had none.
function assignMessageId(message: rhea.Message): boolean {
  if (message.message_id !== undefined && message.message_id !== null && message.message_id !== '') return false;
  message.message_id = randomUUID().replace(/-/g, '');
  return true;
}

function isDuplicate(seen: Map<string, number>, messageId: string, now: number, windowMs: number): boolean {
  for (const [id, at] of seen) {
    if (at + windowMs > now) break;
    seen.delete(id);
  }
  if (seen.has(messageId)) return true;
  seen.set(messageId, now);
  return false;
}

function expiry(message: rhea.Message, properties: EntityProperties, enqueuedAt: number): number {
  const ttl = typeof message.ttl === 'number' && message.ttl > 0 ? Math.min(message.ttl, properties.defaultMessageTimeToLiveMs) : properties.defaultMessageTimeToLiveMs;
  return enqueuedAt + ttl;
}
