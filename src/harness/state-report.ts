import type {
  BlobAccountSnapshot,
  CosmosAccountSnapshot,
  EventHubsNamespaceSnapshot,
  QueueAccountSnapshot,
  RuntimeState,
  ServiceBusEntitySnapshot,
  ServiceBusNamespaceSnapshot,
  TableAccountSnapshot,
} from '../core/inspection.js';
import type { JournalEntry } from '../core/request-journal.js';
import type { ControlClient } from './control-client.js';
import { ControlRequestError } from './errors.js';

/** The request journal as far as it could be read: `available` is false where the runtime has none. */
export interface RecentRequests {
  available: boolean;
  /** Newest first. */
  requests: JournalEntry[];
  /** How many older requests the journal dropped. */
  dropped: number;
}

/** One namespace's journal (every namespace's when none is named), newest first. */
export async function readRecentRequests(client: ControlClient, namespace?: string): Promise<RecentRequests> {
  try {
    const page = await client.requests(namespace === undefined ? {} : { namespace });
    return { available: true, requests: [...page.requests].sort((a, b) => b.seq - a.seq), dropped: page.dropped };
  } catch (error) {
    // A runtime from before the journal existed answers 404.
    if (error instanceof ControlRequestError && error.status === 404 && error.remoteCode === 'NotFound') {
      return { available: false, requests: [], dropped: 0 };
    }
    throw error;
  }
}

/** Indented text tree: namespace → service → container/queue/table → items. */
export function formatState(state: RuntimeState): string {
  const accounts = new Set(state.namespace === null ? [] : [state.namespace]);
  for (const snapshot of Object.values(state.services)) for (const name of Object.keys(snapshot.accounts)) accounts.add(name);
  const lines: string[] = [];
  for (const account of [...accounts].sort()) {
    lines.push(`${account}`);
    for (const [service, snapshot] of Object.entries(state.services)) {
      const data = snapshot.accounts[account];
      if (data === undefined) {
        lines.push(`  ${service}: nothing stored`);
        continue;
      }
      lines.push(`  ${service}`);
      lines.push(...formatAccount(snapshot.kind, data).map((line) => `    ${line}`));
    }
  }
  for (const [service, message] of Object.entries(state.errors)) lines.push(`${service}: could not be inspected: ${message}`);
  return lines.length > 0 ? lines.join('\n') : 'Nothing stored.';
}

function formatAccount(kind: string, data: unknown): string[] {
  switch (kind) {
    case 'blob':
      return formatBlobs(data as BlobAccountSnapshot);
    case 'queue':
      return formatQueues(data as QueueAccountSnapshot);
    case 'table':
      return formatTables(data as TableAccountSnapshot);
    case 'cosmosdb':
      return formatCosmos(data as CosmosAccountSnapshot);
    case 'servicebus':
      return formatServiceBus(data as ServiceBusNamespaceSnapshot);
    case 'eventhubs':
      return formatEventHubs(data as EventHubsNamespaceSnapshot);
    default:
      return JSON.stringify(data, null, 2).split('\n');
  }
}

function formatBlobs({ containers }: BlobAccountSnapshot): string[] {
  if (containers.length === 0) return ['no containers'];
  return containers.flatMap((c) => [
    `${c.name}/ (${plural(c.blobCount, 'blob')})`,
    ...c.blobs.map((b) => {
      const details = [formatBytes(b.size), b.contentType, pairs(b.metadata), b.preview === undefined ? undefined : JSON.stringify(b.preview)];
      return `  ${b.name}  ${details.filter(Boolean).join('  ')}`;
    }),
    ...(c.blobCount > c.blobs.length ? [`  … ${c.blobCount - c.blobs.length} more`] : []),
  ]);
}

function formatQueues({ queues }: QueueAccountSnapshot): string[] {
  if (queues.length === 0) return ['no queues'];
  return queues.map((q) => `${q.name}: ${q.visibleCount} visible, ${q.invisibleCount} invisible`);
}

function formatTables({ tables }: TableAccountSnapshot): string[] {
  if (tables.length === 0) return ['no tables'];
  return tables.map((t) => `${t.name}: ${plural(t.entityCount, 'entity', 'entities')}`);
}

function formatCosmos({ databases }: CosmosAccountSnapshot): string[] {
  if (databases.length === 0) return ['no databases'];
  return databases.flatMap((d) =>
    d.containers.length === 0 ? [`${d.id}/ (no containers)`] : d.containers.map((c) => `${d.id}/${c.id} (${c.partitionKey.join(', ')}): ${plural(c.itemCount, 'item')}`),
  );
}

/** Messages listed per Service Bus entity in the text tree; the dashboard shows more. */
const TEXT_MESSAGE_LIMIT = 10;

function formatServiceBus({ queues, topics }: ServiceBusNamespaceSnapshot): string[] {
  if (queues.length === 0 && topics.length === 0) return ['no queues or topics'];
  return [
    ...queues.flatMap((q) => formatEntity(`queue ${q.name}`, q)),
    ...topics.flatMap((t) => [
      `topic ${t.name} (${plural(t.subscriptions.length, 'subscription')})`,
      ...t.subscriptions.flatMap((s) => formatEntity(s.name, s).map((line) => `  ${line}`)),
    ]),
  ];
}

function formatEntity(title: string, e: ServiceBusEntitySnapshot): string[] {
  const shown = e.messages.slice(0, TEXT_MESSAGE_LIMIT);
  return [
    `${title}: ${e.activeCount} active, ${e.scheduledCount} scheduled, ${e.deferredCount} deferred, ${e.deadLetterCount} dead-lettered`,
    ...shown.map((m) => {
      const details = [m.state, m.sessionId === undefined ? undefined : `session ${m.sessionId}`, m.deliveryCount > 0 ? plural(m.deliveryCount, 'delivery', 'deliveries') : undefined];
      return `  #${m.sequenceNumber} ${m.messageId}  ${details.filter(Boolean).join(', ')}${m.preview === undefined ? '' : `  ${JSON.stringify(m.preview)}`}`;
    }),
    ...(e.messages.length > shown.length ? [`  … ${e.messages.length - shown.length} more`] : []),
  ];
}

function formatEventHubs({ hubs }: EventHubsNamespaceSnapshot): string[] {
  if (hubs.length === 0) return ['no event hubs'];
  return hubs.flatMap((h) => [
    `${h.name}: ${plural(h.partitions.length, 'partition')}, ${plural(h.partitions.reduce((n, p) => n + p.events, 0), 'event')}; consumer groups ${h.consumerGroups.join(', ')}`,
    ...h.partitions.map((p) =>
      p.isEmpty
        ? `  partition ${p.id}: empty`
        : `  partition ${p.id}: ${plural(p.events, 'event')}, sequence ${p.beginningSequenceNumber}–${p.lastEnqueuedSequenceNumber}, last enqueued ${new Date(p.lastEnqueuedTime).toISOString()}`,
    ),
  ]);
}

/** The newest `limit` requests, one line each; with `namespaces`, each line names its namespace. */
export function formatRequests(recent: RecentRequests, limit: number, namespaces = false): string {
  if (!recent.available) return 'Request journal not available.';
  if (recent.requests.length === 0) return 'No requests.';
  const shown = recent.requests.slice(0, limit);
  const lines = shown.map((r) =>
    [
      r.time.slice(11, 23),
      namespaces ? r.namespace : undefined,
      r.service,
      r.operation,
      r.method,
      r.path,
      String(r.status),
      r.errorCode,
      `${Math.round(r.durationMs)} ms`,
    ]
      .filter(Boolean)
      .join('  '),
  );
  const more = recent.requests.length - shown.length + recent.dropped;
  return [`Last ${shown.length} requests, newest first:`, ...lines.map((l) => `  ${l}`), ...(more > 0 ? [`  … ${more} older`] : [])].join('\n');
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function pairs(record: Record<string, string>): string | undefined {
  const entries = Object.entries(record);
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}
