import rhea, { type Message } from 'rhea';
import { acceptDelivery, detachLink, type IncomingLink, type IncomingLinkHandler, type IncomingTransfer, type OutgoingLink, type OutgoingLinkHandler } from '../amqp-common/amqp-server.js';
import type { AmqpWireError } from '../amqp-common/errors.js';
import { ehErrors } from './errors.js';
import { withAnnotations } from './event-sections.js';
import type { ConsumerGroup, EventHub, EventHubsNamespace, PartitionReader } from './hub.js';
import { MAX_MESSAGE_SIZE } from './model.js';
import type { OperationRecorder } from '../amqp-common/operation-recorder.js';
import type { PartitionListener, PartitionLog, StartPosition, StoredEvent } from './partition-log.js';

/** What a link needs of the service: its namespace, the clock, the journal and the endpoint for messages. */
export interface LinkEnvironment {
  namespace: EventHubsNamespace;
  now(): number;
  /** `sb://host:port/`, as Azure's messages name entities. */
  endpoint: string;
  record: OperationRecorder;
}

const BATCH_FORMAT = 0x80013700;
const SELECTOR_FILTER = 'apache.org:selector-filter:string';
const EPOCH = 'com.microsoft:epoch';
const RUNTIME_METRIC = 'com.microsoft:enable-receiver-runtime-metric';
const PARTITION_KEY = 'x-opt-partition-key';
const { types } = rhea;

/**
 * A consumer's link on `<hub>/ConsumerGroups/<group>/Partitions/<id>`: events
 * from the position its selector filter names, as far as its credit goes,
 * then each new event as it arrives. Owner levels are enforced per group and
 * partition (see ConsumerGroup.join).
 */
export function openReceiver(link: OutgoingLink, env: LinkEnvironment): OutgoingLinkHandler {
  const match = /^([^/]+)\/ConsumerGroups\/([^/]+)\/Partitions\/([^/]+)$/i.exec(link.address);
  if (!match) throw ehErrors.badAddress(`${env.endpoint}${link.address}`);
  const hub = requireHub(env, match[1]!);
  const group = requireGroup(env, hub, match[2]!);
  const partition = hub.partition(match[3]!);
  const path = `/${hub.name}/ConsumerGroups/${group.name}/Partitions/${partition.id}`;
  const trackLastEnqueued = (link.remote.desiredCapabilities ?? []).includes(RUNTIME_METRIC);
  let cursor = partition.startingSequence(parseFilter(link.remote.source?.filter?.[SELECTOR_FILTER]), env.now());
  let open = true;

  const close = () => {
    if (!open) return;
    open = false;
    partition.listeners.delete(listener);
    group.leave(partition.id, reader);
  };
  const disconnect = (error: AmqpWireError) => {
    close();
    detachLink(link.sender, error);
  };
  const pump = () => {
    const sender = link.sender;
    if (!open || !sender.sendable() || cursor >= partition.nextSequence) return;
    try {
      env.record.sync('Receive', path, link.connection, () => {
        const now = env.now();
        const events = partition.read(cursor, (sender as unknown as { credit: number }).credit, now);
        // Credit is not the only limit: the session's window of unsettled deliveries can fill first.
        for (const event of events) {
          if (!sender.sendable()) break;
          sender.send(deliverable(event, trackLastEnqueued ? partition : undefined, now), undefined, 0);
          cursor = event.sequenceNumber + 1;
        }
      });
    } catch (error) {
      disconnect(error as AmqpWireError);
    }
  };
  const reader: PartitionReader = { ownerLevel: ownerLevelOf(link.remote.properties?.[EPOCH]), disconnect };
  const listener: PartitionListener = {
    appended: pump,
    cleared: () => {
      cursor = 0;
    },
  };
  group.join(partition.id, reader);
  partition.listeners.add(listener);
  return { onCredit: pump, onClose: close };
}

/**
 * A producer's link on `<hub>` (routed by partition key, else round robin) or
 * `<hub>/Partitions/<id>`; the journal names the address sent to.
 */
export function openSender(link: IncomingLink, env: LinkEnvironment): IncomingLinkHandler {
  const match = /^([^/]+)(?:\/Partitions\/([^/]+))?$/i.exec(link.address);
  if (!match) throw ehErrors.badAddress(`${env.endpoint}${link.address}`);
  const hub = requireHub(env, match[1]!);
  const fixed = match[2] === undefined ? undefined : hub.partition(match[2]);
  const path = fixed ? `/${hub.name}/Partitions/${fixed.id}` : `/${hub.name}`;
  return {
    onTransfer: (transfer) =>
      env.record.run('Send', path, link.connection, () => {
        const events = decodeTransfer(transfer);
        const partition = fixed ?? hub.route(events[0]?.partitionKey);
        partition.append(events, env.now());
        acceptDelivery(transfer.delivery);
      }),
  };
}

function requireHub(env: LinkEnvironment, name: string): EventHub {
  const hub = env.namespace.hub(name);
  if (!hub) throw ehErrors.entityNotFound(`${env.endpoint}${name}`);
  return hub;
}

function requireGroup(env: LinkEnvironment, hub: EventHub, name: string): ConsumerGroup {
  const group = hub.consumerGroup(name);
  if (!group) throw ehErrors.entityNotFound(`${env.endpoint}${hub.name}/consumergroups/${name}`);
  return group;
}

/**
 * A send's events: one message (format 0) or the SDK's batch envelope, whose
 * data sections each hold one encoded event, kept encoded; the envelope
 * carries the batch's partition key.
 */
function decodeTransfer({ format, message }: IncomingTransfer): { encoded: Buffer; partitionKey: string | undefined }[] {
  if (format === 0) {
    const encoded = rhea.message.encode(message as Message);
    if (encoded.length > MAX_MESSAGE_SIZE) throw ehErrors.messageTooLarge(encoded.length, MAX_MESSAGE_SIZE);
    return [{ encoded, partitionKey: partitionKeyOf(message as Message) }];
  }
  if (format !== BATCH_FORMAT) throw ehErrors.badBatch(`message format ${format} is neither 0 nor the batch format ${BATCH_FORMAT}.`);
  const raw = message as Buffer;
  if (raw.length > MAX_MESSAGE_SIZE) throw ehErrors.messageTooLarge(raw.length, MAX_MESSAGE_SIZE);
  let envelope: Message;
  try {
    envelope = rhea.message.decode(raw) as unknown as Message;
  } catch (error) {
    throw ehErrors.badBatch((error as Error).message);
  }
  const body = envelope.body as { typecode?: number; content?: unknown; multiple?: boolean } | undefined;
  if (body?.typecode !== 0x75) throw ehErrors.badBatch('the envelope carries no data sections.');
  const sections = (body.multiple ? body.content : [body.content]) as Buffer[];
  const partitionKey = partitionKeyOf(envelope);
  return sections.map((encoded) => ({ encoded, partitionKey }));
}

function partitionKeyOf(message: Message): string | undefined {
  const key = (message.message_annotations as Record<string, unknown> | undefined)?.[PARTITION_KEY];
  return key === undefined || key === null ? undefined : String(key);
}

/** The event as a consumer receives it: the message as sent, stamped with Azure's annotations. */
function deliverable(event: StoredEvent, metrics: PartitionLog | undefined, now: number): Buffer {
  const annotations: Record<string, unknown> = {
    'x-opt-sequence-number': types.wrap_long(event.sequenceNumber),
    'x-opt-offset': String(event.offset),
    'x-opt-enqueued-time': types.wrap_timestamp(event.enqueuedTime),
    ...(event.partitionKey === undefined ? {} : { [PARTITION_KEY]: event.partitionKey }),
  };
  if (!metrics) return withAnnotations(event.encoded, annotations);
  const last = metrics.properties(now);
  return withAnnotations(event.encoded, annotations, {
    last_enqueued_sequence_number: types.wrap_long(last.lastEnqueuedSequenceNumber),
    last_enqueued_offset: String(last.lastEnqueuedOffset),
    last_enqueued_time_utc: types.wrap_timestamp(last.lastEnqueuedTime),
    runtime_info_retrieval_time_utc: types.wrap_timestamp(now),
  });
}

/**
 * The starting position a selector filter names: `amqp.annotation.x-opt-offset > '12'`,
 * `... x-opt-sequence-number >= '5'`, `... x-opt-enqueued-time > '<epoch ms>'`;
 * offset `-1` is the start of the partition and `@latest` its end. No filter: the start.
 */
export function parseFilter(filter: unknown): StartPosition {
  if (filter === undefined || filter === null) return { kind: 'earliest' };
  // rhea hands a described value over as { descriptor, value }.
  const text = typeof filter === 'string' ? filter : String((filter as { value?: unknown }).value ?? '');
  const match = /^amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'$/.exec(text.trim());
  if (!match) throw ehErrors.badFilter(text);
  const [, field, operator, value] = match as unknown as [string, string, string, string];
  const inclusive = operator === '>=';
  if (field === 'offset') {
    if (value === '-1') return { kind: 'earliest' };
    if (value === '@latest') return { kind: 'latest' };
  }
  const number = Number(value);
  if (value === '' || !Number.isFinite(number)) throw ehErrors.badFilter(text);
  if (field === 'offset') return { kind: 'offset', offset: number, inclusive };
  if (field === 'sequence-number') return { kind: 'sequence', sequenceNumber: number, inclusive };
  return { kind: 'enqueued', after: inclusive ? number - 1 : number };
}

function ownerLevelOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  // rhea decodes a long that fits as a number, a larger one as a Buffer.
  return typeof value === 'number' ? value : Number(value as bigint);
}
