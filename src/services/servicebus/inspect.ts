import {
  SNAPSHOT_LIST_LIMIT,
  SNAPSHOT_PREVIEW_CHARS,
  type ServiceBusEntitySnapshot,
  type ServiceBusMessageSnapshot,
  type ServiceBusNamespaceSnapshot,
  type ServiceBusServiceSnapshot,
} from '../../core/inspection.js';
import type { StoredMessage } from './message.js';
import type { MessageEntity } from './message-entity.js';
import { deadLetterOf, type ServiceBusNamespace } from './namespace-store.js';

/** What each namespace holds, for the dashboard, `localzure inspect` and failure reports. */
export function inspectServiceBus(namespaces: ServiceBusNamespace[], now: number): ServiceBusServiceSnapshot {
  const accounts: Record<string, ServiceBusNamespaceSnapshot> = {};
  for (const ns of namespaces) {
    accounts[ns.name] = {
      queues: [...ns.queues.values()].map((q) => entity(q.name, q.entity, now)),
      topics: [...ns.topics.values()].map((t) => ({
        name: t.name,
        subscriptions: [...t.subscriptions.values()].map((s) => entity(s.name, s.entity, now)),
      })),
    };
  }
  return { kind: 'servicebus', accounts };
}

function entity(name: string, store: MessageEntity, now: number): ServiceBusEntitySnapshot {
  const counts = store.counts(now);
  return {
    name,
    activeCount: counts.active,
    deadLetterCount: deadLetterOf(store).messageCount,
    scheduledCount: counts.scheduled,
    deferredCount: counts.deferred,
    messages: [...store.messages()].slice(0, SNAPSHOT_LIST_LIMIT).map((m) => message(m, now)),
  };
}

function message(m: StoredMessage, now: number): ServiceBusMessageSnapshot {
  const body = m.message.body as unknown;
  const content = (body as { content?: unknown } | undefined)?.content;
  const text = typeof body === 'string' ? body : Buffer.isBuffer(content) ? content.toString('utf8') : undefined;
  return {
    sequenceNumber: m.sequenceNumber,
    messageId: String(m.message.message_id),
    state: m.lock && m.lock.until > now ? 'locked' : m.state,
    ...(m.sessionId === undefined ? {} : { sessionId: m.sessionId }),
    deliveryCount: m.deliveries,
    enqueuedOn: new Date(m.enqueuedAt).toISOString(),
    ...(text === undefined ? {} : { preview: text.slice(0, SNAPSHOT_PREVIEW_CHARS) }),
  };
}
