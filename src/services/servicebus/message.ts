import rhea from 'rhea';

/** Where a message is in its entity, as `x-opt-message-state` tells the SDK. */
export type MessageState = 'active' | 'deferred' | 'scheduled';
const STATE_CODE: Record<MessageState, number> = { active: 0, deferred: 1, scheduled: 2 };

/** A peek-lock hold on a message. */
export interface MessageLock {
  /** Canonical UUID text; the delivery tag and `lock-token` are its 16 bytes. */
  token: string;
  until: number;
  /** Who received it: settlement over another receiver's link is refused. */
  owner: object;
}

/** A message as an entity holds it. */
export interface StoredMessage {
  sequenceNumber: number;
  /** The message as sent (rhea's decoded form), with what the service assigned (message id). */
  message: rhea.Message;
  /** Encoded bytes as sent, for quotas. */
  size: number;
  enqueuedAt: number;
  /** Epoch ms; Infinity when it never expires. */
  expiresAt: number;
  /** Times it was handed out under a lock (or at all). */
  deliveries: number;
  state: MessageState;
  scheduledAt?: number;
  sessionId?: string;
  lock?: MessageLock;
  deadLetterSource?: string;
}

export const BATCH_FORMAT = 0x80013700;
const SCHEDULED_ENQUEUE_TIME = 'x-opt-scheduled-enqueue-time';

/** The messages of one transfer: a single message, or each message of a Service Bus batch. */
export function messagesOfTransfer(format: number, payload: rhea.Message | Buffer): Array<{ message: rhea.Message; size: number }> {
  if (format === 0) {
    const message = payload as rhea.Message;
    return [{ message, size: rhea.message.encode(message).length }];
  }
  if (format !== BATCH_FORMAT) throw new RangeError(`message format ${format} is not one Service Bus accepts (0, or the batch format ${BATCH_FORMAT})`);
  const envelope = rhea.message.decode(payload as Buffer) as { body?: { content?: unknown; multiple?: boolean } };
  const content = envelope.body?.content;
  const parts = envelope.body?.multiple ? (content as Buffer[]) : content === undefined ? [] : [content as Buffer];
  return parts.map((bytes) => ({ message: rhea.message.decode(bytes) as unknown as rhea.Message, size: bytes.length }));
}

/** The scheduled enqueue time the sender set, in epoch ms. */
export function scheduledTime(message: rhea.Message): number | undefined {
  const value = (message.message_annotations as Record<string, unknown> | undefined)?.[SCHEDULED_ENQUEUE_TIME];
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : undefined;
}

/** The bytes sent to a receiver (or returned by peek): the message with the broker's annotations. */
export function encodeForClient(stored: StoredMessage): Buffer {
  const annotations: Record<string, unknown> = {
    ...(stored.message.message_annotations as Record<string, unknown> | undefined),
    'x-opt-sequence-number': rhea.types.wrap_long(stored.sequenceNumber),
    'x-opt-enqueue-sequence-number': rhea.types.wrap_long(stored.sequenceNumber),
    'x-opt-enqueued-time': new Date(stored.enqueuedAt),
    ...(stored.lock ? { 'x-opt-locked-until': new Date(stored.lock.until) } : {}),
    ...(stored.state === 'active' ? {} : { 'x-opt-message-state': STATE_CODE[stored.state] }),
    ...(stored.deadLetterSource ? { 'x-opt-deadletter-source': stored.deadLetterSource } : {}),
  };
  return rhea.message.encode({
    ...stored.message,
    // AMQP's count of earlier delivery attempts; the SDK shows it as deliveryCount.
    delivery_count: Math.max(0, stored.deliveries - 1),
    message_annotations: annotations,
  } as rhea.Message);
}

/** The 16 bytes of a UUID (`lock-token` and delivery tags). */
export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/**
 * A lock token as a delivery tag: Azure sends it as a .NET Guid, whose first
 * three groups are little-endian, and the SDK swaps them back when it reads
 * the tag. The swap is its own inverse.
 */
export function guidBytes(bytes: Buffer): Buffer {
  return Buffer.from([bytes[3]!, bytes[2]!, bytes[1]!, bytes[0]!, bytes[5]!, bytes[4]!, bytes[7]!, bytes[6]!, ...bytes.subarray(8)]);
}

/** Canonical text of 16 UUID bytes. */
export function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
