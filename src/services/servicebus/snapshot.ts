import rhea from 'rhea';
import type { StoredMessage } from './message.js';
import type { MessageEntity } from './message-entity.js';
import type { EntityProperties, RuleDefinition } from './model.js';
import { deadLetterOf, type ServiceBusNamespace } from './namespace-store.js';
import { compileRule } from './rules.js';

/** A queue's or subscription's messages (its own and its dead-letter sub-queue's) and its sessions' state. */
interface CapturedEntity {
  properties: EntityProperties;
  messages: StoredMessage[];
  deadLetters: StoredMessage[];
  sessions: Array<{ id: string; state?: Buffer }>;
}

interface CapturedSender {
  name: string;
  /** Message id → when it was first seen: the duplicate-detection history. */
  seen: Array<[string, number]>;
  nextSequence: number;
}

/** What `captureServiceBus` returns: every entity of a namespace, with its messages and numbering. */
export interface ServiceBusCapture {
  queues: Array<CapturedSender & { entity: CapturedEntity }>;
  topics: Array<CapturedSender & { properties: EntityProperties; subscriptions: Array<{ name: string; rules: RuleDefinition[]; entity: CapturedEntity }> }>;
}

/**
 * A copy of a namespace's entities and messages: active, scheduled,
 * deferred and dead-lettered, sessions with their state, sequence numbers
 * and duplicate-detection history. Locks are not kept: a message locked
 * when the snapshot was taken comes back available (its delivery counted),
 * and every session unlocked, since no receiver holding them survives a
 * restore in any useful sense. The AMQP message objects are shared: the
 * entities replace them on change, never edit them.
 */
export function captureServiceBus(ns: ServiceBusNamespace): ServiceBusCapture {
  return {
    queues: [...ns.queues.values()].map((q) => ({ name: q.name, seen: [...q.seen], nextSequence: q.nextSequence, entity: captureEntity(q.entity) })),
    topics: [...ns.topics.values()].map((t) => ({
      name: t.name,
      properties: { ...t.properties },
      seen: [...t.seen],
      nextSequence: t.nextSequence,
      subscriptions: [...t.subscriptions.values()].map((s) => ({ name: s.name, rules: s.rules.map((r) => r.definition), entity: captureEntity(s.entity) })),
    })),
  };
}

/**
 * Puts `captured` back into `ns`. Entities that still exist are refilled in
 * place, so open receivers stay attached and are offered the restored
 * messages; entities created since are removed. Sequence numbers go on from
 * the higher of the live and the captured count, as after a reset: a client
 * that remembers the last number it peeked never skips a new message.
 */
export function restoreServiceBus(ns: ServiceBusNamespace, captured: ServiceBusCapture): void {
  const queues = new Set(captured.queues.map((q) => q.name.toLowerCase()));
  const topics = new Set(captured.topics.map((t) => t.name.toLowerCase()));
  for (const key of [...ns.queues.keys()]) if (!queues.has(key)) ns.queues.delete(key);
  for (const key of [...ns.topics.keys()]) if (!topics.has(key)) ns.topics.delete(key);
  for (const q of captured.queues) {
    const live = ns.queues.get(q.name.toLowerCase());
    const queue = live ?? ns.addQueue(q.name, { ...q.entity.properties });
    queue.seen = new Map(q.seen);
    queue.nextSequence = Math.max(q.nextSequence, live?.nextSequence ?? 0);
    refill(queue.entity, q.entity);
  }
  for (const t of captured.topics) {
    const live = ns.topics.get(t.name.toLowerCase());
    const topic = live ?? ns.addTopic(t.name, { ...t.properties });
    topic.properties = { ...t.properties };
    topic.seen = new Map(t.seen);
    topic.nextSequence = Math.max(t.nextSequence, live?.nextSequence ?? 0);
    const subscriptions = new Set(t.subscriptions.map((s) => s.name.toLowerCase()));
    for (const key of [...topic.subscriptions.keys()]) if (!subscriptions.has(key)) topic.subscriptions.delete(key);
    for (const s of t.subscriptions) {
      const subscription = topic.subscriptions.get(s.name.toLowerCase()) ?? ns.addSubscription(topic, s.name, { ...s.entity.properties }, s.rules);
      subscription.rules = s.rules.map(compileRule);
      refill(subscription.entity, s.entity);
    }
  }
}

/** The capture as JSON: AMQP messages in their wire encoding, base64 (see the snapshot file format in the README). */
export function encodeServiceBusCapture(captured: ServiceBusCapture): unknown {
  const entity = (e: CapturedEntity) => ({
    ...e,
    messages: e.messages.map(encodeMessage),
    deadLetters: e.deadLetters.map(encodeMessage),
    sessions: e.sessions.map((s) => (s.state === undefined ? { id: s.id } : { id: s.id, state: s.state.toString('base64') })),
  });
  return {
    queues: captured.queues.map((q) => ({ ...q, entity: entity(q.entity) })),
    topics: captured.topics.map((t) => ({ ...t, subscriptions: t.subscriptions.map((s) => ({ ...s, entity: entity(s.entity) })) })),
  };
}

/** The inverse of `encodeServiceBusCapture`; throws TypeError on data it did not write. */
export function decodeServiceBusCapture(encoded: unknown): ServiceBusCapture {
  const data = encoded as { queues?: unknown; topics?: unknown };
  if (!Array.isArray(data?.queues) || !Array.isArray(data.topics)) throw new TypeError('expected { queues: [...], topics: [...] }');
  const entity = (e: EncodedEntity): CapturedEntity => {
    if (!Array.isArray(e?.messages) || !Array.isArray(e.deadLetters) || !Array.isArray(e.sessions)) throw new TypeError('an entity needs messages, deadLetters and sessions');
    return {
      properties: e.properties,
      messages: e.messages.map(decodeMessage),
      deadLetters: e.deadLetters.map(decodeMessage),
      sessions: e.sessions.map((s) => (s.state === undefined ? { id: s.id } : { id: s.id, state: Buffer.from(s.state, 'base64') })),
    };
  };
  type Encoded<T> = Omit<T, 'entity'> & { entity: EncodedEntity };
  type Topic = ServiceBusCapture['topics'][number];
  return {
    queues: (data.queues as Array<Encoded<ServiceBusCapture['queues'][number]>>).map((q) => ({ ...q, entity: entity(q.entity) })),
    topics: (data.topics as Array<Omit<Topic, 'subscriptions'> & { subscriptions: Array<Encoded<Topic['subscriptions'][number]>> }>).map((t) => ({
      ...t,
      subscriptions: t.subscriptions.map((s) => ({ ...s, entity: entity(s.entity) })),
    })),
  };
}

interface EncodedEntity {
  properties: EntityProperties;
  messages: EncodedMessage[];
  deadLetters: EncodedMessage[];
  sessions: Array<{ id: string; state?: string }>;
}

type EncodedMessage = Omit<StoredMessage, 'message' | 'lock' | 'expiresAt'> & { amqp: string; expiresAt: number | null };

function encodeMessage(m: StoredMessage): EncodedMessage {
  const { message, lock: _lock, expiresAt, ...rest } = m;
  // JSON has no Infinity: null is a message that never expires.
  return { ...rest, expiresAt: Number.isFinite(expiresAt) ? expiresAt : null, amqp: rhea.message.encode(message).toString('base64') };
}

function decodeMessage(m: EncodedMessage): StoredMessage {
  const { amqp, expiresAt, ...rest } = m;
  if (typeof amqp !== 'string' || typeof m.sequenceNumber !== 'number') throw new TypeError('a message needs a sequenceNumber and its amqp bytes');
  return { ...rest, expiresAt: expiresAt ?? Infinity, message: rhea.message.decode(Buffer.from(amqp, 'base64')) as unknown as rhea.Message };
}

function captureEntity(entity: MessageEntity): CapturedEntity {
  const copy = (m: StoredMessage): StoredMessage => {
    const { lock: _lock, ...rest } = m;
    return rest;
  };
  return {
    properties: { ...entity.properties },
    messages: [...entity.messages()].map(copy),
    deadLetters: [...deadLetterOf(entity).messages()].map(copy),
    sessions: [...entity.sessions.values()].map((s) => (s.state === undefined ? { id: s.id } : { id: s.id, state: s.state })),
  };
}

// Copies again, so the capture stays as it was for the next restore.
function refill(entity: MessageEntity, captured: CapturedEntity): void {
  const properties = { ...captured.properties };
  const deadLetter = deadLetterOf(entity);
  for (const target of new Set([entity, deadLetter])) {
    target.clear();
    target.properties = properties;
  }
  for (const m of captured.messages) entity.enqueue({ ...m });
  for (const m of captured.deadLetters) deadLetter.enqueue({ ...m });
  for (const s of captured.sessions) entity.sessions.set(s.id, { id: s.id, state: s.state, lockedUntil: 0 });
}
