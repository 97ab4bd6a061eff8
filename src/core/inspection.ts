/**
 * Read-only pictures of what services hold, for the dashboard, `localzure
 * inspect` and the failure report. Plain JSON: they travel over the control
 * API. Each service reports its data per namespace (storage account), under
 * a `kind` that tells readers how to show it; kinds they do not know are
 * shown as raw JSON.
 */
export interface ServiceSnapshot<Kind extends string = string, Account = unknown> {
  kind: Kind;
  /** Namespace name → what that namespace holds; only namespaces holding something appear. */
  accounts: Record<string, Account>;
}

/** At most this many items per list in a snapshot; the rest are counted, not listed. */
export const SNAPSHOT_LIST_LIMIT = 200;
/** Characters of text content shown as a preview. */
export const SNAPSHOT_PREVIEW_CHARS = 200;

export interface BlobItemSnapshot {
  name: string;
  type: 'BlockBlob' | 'AppendBlob' | 'PageBlob';
  size: number;
  contentType?: string;
  metadata: Record<string, string>;
  /** ISO time. */
  lastModified: string;
  /** The start of the content, for text content types only. */
  preview?: string;
}

export interface ContainerSnapshot {
  name: string;
  metadata: Record<string, string>;
  lastModified: string;
  blobCount: number;
  /** The first SNAPSHOT_LIST_LIMIT blobs in name order. */
  blobs: BlobItemSnapshot[];
}

export interface BlobAccountSnapshot {
  containers: ContainerSnapshot[];
}

export interface QueueMessageSnapshot {
  id: string;
  /** The start of the message text. */
  preview: string;
  /** False while a receiver holds it or its initial visibility delay runs. */
  visible: boolean;
  dequeueCount: number;
  insertedOn: string;
  expiresOn: string;
  nextVisibleOn: string;
}

export interface QueueSnapshot {
  name: string;
  metadata: Record<string, string>;
  visibleCount: number;
  invisibleCount: number;
  /** The first SNAPSHOT_LIST_LIMIT messages in queue order. */
  messages: QueueMessageSnapshot[];
}

export interface QueueAccountSnapshot {
  queues: QueueSnapshot[];
}

export interface TableSnapshot {
  name: string;
  entityCount: number;
  /** The first SNAPSHOT_LIST_LIMIT entities in (PartitionKey, RowKey) order, properties as the JSON wire shows them. */
  entities: Record<string, unknown>[];
}

export interface TableAccountSnapshot {
  tables: TableSnapshot[];
}

export interface CosmosContainerSnapshot {
  id: string;
  partitionKey: string[];
  itemCount: number;
  /** The first SNAPSHOT_LIST_LIMIT items, in the order a plain query returns them. */
  items: unknown[];
}

export interface CosmosAccountSnapshot {
  databases: Array<{ id: string; containers: CosmosContainerSnapshot[] }>;
}

export interface ServiceBusMessageSnapshot {
  sequenceNumber: number;
  messageId: string;
  state: 'active' | 'deferred' | 'scheduled' | 'locked';
  sessionId?: string;
  deliveryCount: number;
  enqueuedOn: string;
  /** The start of a text body. */
  preview?: string;
}

/** A queue or a topic's subscription. */
export interface ServiceBusEntitySnapshot {
  name: string;
  activeCount: number;
  deadLetterCount: number;
  scheduledCount: number;
  deferredCount: number;
  /** The first SNAPSHOT_LIST_LIMIT messages in sequence order. */
  messages: ServiceBusMessageSnapshot[];
}

export interface ServiceBusNamespaceSnapshot {
  queues: ServiceBusEntitySnapshot[];
  topics: Array<{ name: string; subscriptions: ServiceBusEntitySnapshot[] }>;
}

export interface EventHubsPartitionSnapshot {
  id: string;
  /** Events the partition holds (within retention). */
  events: number;
  beginningSequenceNumber: number;
  /** -1 before the first event. */
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOffset: number;
  /** Epoch milliseconds; 0 before the first event. */
  lastEnqueuedTime: number;
  isEmpty: boolean;
}

export interface EventHubsNamespaceSnapshot {
  hubs: Array<{ name: string; consumerGroups: string[]; partitions: EventHubsPartitionSnapshot[] }>;
}

export type BlobServiceSnapshot = ServiceSnapshot<'blob', BlobAccountSnapshot>;
export type QueueServiceSnapshot = ServiceSnapshot<'queue', QueueAccountSnapshot>;
export type TableServiceSnapshot = ServiceSnapshot<'table', TableAccountSnapshot>;
export type CosmosServiceSnapshot = ServiceSnapshot<'cosmosdb', CosmosAccountSnapshot>;
export type ServiceBusServiceSnapshot = ServiceSnapshot<'servicebus', ServiceBusNamespaceSnapshot>;
export type EventHubsServiceSnapshot = ServiceSnapshot<'eventhubs', EventHubsNamespaceSnapshot>;

/** `GET /_localzure/state`: every running service's snapshot, for one namespace or all. */
export interface RuntimeState {
  /** The namespace asked for; null for all. */
  namespace: string | null;
  namespaces: string[];
  /** ISO time on the runtime's clock. */
  time: string;
  /** Running services that can show their data; others are absent. */
  services: Record<string, ServiceSnapshot>;
  /** Services whose `inspect` failed, with the reason. */
  errors: Record<string, string>;
}
