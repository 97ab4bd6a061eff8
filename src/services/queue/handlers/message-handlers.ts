import { receiveText } from '../../storage-common/body.js';
import type { StorageQuota } from '../../storage-common/quota.js';
import { httpDate } from '../../storage-common/dates.js';
import type { StorageRequest } from '../../storage-common/request.js';
import type { StorageResponse } from '../../storage-common/response.js';
import { commonErrors } from '../../storage-common/storage-error.js';
import { parseXml, toXml, type XmlNode } from '../../storage-common/xml.js';
import { MAX_MESSAGE_BYTES, NEVER_EXPIRES, type QueueMessage, type QueueRecord } from '../model.js';
import { integerQuery, messageIdOf, queueNameOf, rangedQuery, requiredQuery, SEVEN_DAYS_S } from '../queue-request.js';
import type { QueueStore } from '../queue-store.js';

// The whole request body may be larger than the text it carries: XML escaping grows it.
const MAX_BODY_BYTES = 128 * 1024 + 512;
const MAX_MESSAGES_PER_CALL = 32;
const DEFAULT_RECEIVE_VISIBILITY_S = 30;

export function messageHandlers(store: QueueStore) {
  const queueOf = (request: StorageRequest): QueueRecord => store.queue(request.account.name, queueNameOf(request));

  return {
    async put(request: StorageRequest): Promise<StorageResponse> {
      const visibility = rangedQuery(request, 'visibilitytimeout', 0, SEVEN_DAYS_S, 0);
      const ttl = timeToLiveOf(request, visibility);
      const text = await messageTextOf(request, store.quota);
      if (text === undefined) throw commonErrors.invalidXmlDocument();
      const queue = queueOf(request);
      const { now } = request;
      const expiresAt = ttl === -1 ? NEVER_EXPIRES : Math.min(now + ttl * 1000, NEVER_EXPIRES);
      const message = store.putMessage(queue, { text, visibleAt: now + visibility * 1000, expiresAt }, now);
      return xmlResponse(201, { QueueMessage: messageXml(message, { receipt: true, content: false }) });
    },

    /** Get Messages, or Peek Messages with `peekonly=true`. */
    get(request: StorageRequest): StorageResponse {
      const count = rangedQuery(request, 'numofmessages', 1, MAX_MESSAGES_PER_CALL, 1);
      if (isPeek(request)) {
        const messages = store.peek(queueOf(request), count, request.now);
        return xmlResponse(200, { QueueMessage: messages.map((m) => messageXml(m, { receipt: false, content: true })) });
      }
      const visibility = rangedQuery(request, 'visibilitytimeout', 1, SEVEN_DAYS_S, DEFAULT_RECEIVE_VISIBILITY_S);
      const messages = store.receive(queueOf(request), count, request.now + visibility * 1000, request.now);
      return xmlResponse(200, { QueueMessage: messages.map((m) => messageXml(m, { receipt: true, content: true })) });
    },

    clear(request: StorageRequest): StorageResponse {
      store.clear(queueOf(request));
      return { status: 204 };
    },

    delete(request: StorageRequest): StorageResponse {
      const popReceipt = popReceiptOf(request);
      store.deleteMessage(queueOf(request), messageIdOf(request), popReceipt, request.now);
      return { status: 204 };
    },

    async update(request: StorageRequest): Promise<StorageResponse> {
      const popReceipt = popReceiptOf(request);
      requiredQuery(request, 'visibilitytimeout');
      const visibility = rangedQuery(request, 'visibilitytimeout', 0, SEVEN_DAYS_S, 0);
      const text = await messageTextOf(request, store.quota);
      const message = store.updateMessage(queueOf(request), messageIdOf(request), popReceipt, { text, visibleAt: request.now + visibility * 1000 }, request.now);
      return { status: 204, headers: { 'x-ms-popreceipt': message.popReceipt, 'x-ms-time-next-visible': httpDate(message.visibleAt) } };
    },
  };
}

/** Peek-only access needs only read permission, so the authorizer asks this too. */
export function isPeek(request: StorageRequest): boolean {
  return request.query.get('peekonly')?.toLowerCase() === 'true';
}

/**
 * `messagettl` in seconds: 7 days when absent, -1 for never, else at least 1
 * and longer than the visibility timeout (a message must become visible
 * before it expires).
 */
function timeToLiveOf(request: StorageRequest, visibility: number): number {
  const ttl = integerQuery(request, 'messagettl');
  if (ttl === undefined) return SEVEN_DAYS_S;
  if (ttl === -1) return ttl;
  const text = request.query.get('messagettl')!;
  if (ttl < 1) throw commonErrors.invalidQueryParameterValue('messagettl', text, 'Value must be greater than or equal to 1, or -1 to indicate an infinite TTL.');
  if (visibility >= ttl) {
    throw commonErrors.invalidQueryParameterValue('visibilitytimeout', String(visibility), 'messagettl must be greater than visibilitytimeout.');
  }
  return ttl;
}

/**
 * The `<QueueMessage><MessageText>` of the body; undefined for an empty body
 * (Update Message may keep the text). Azure limits the text, not the body, to 64 KiB.
 */
async function messageTextOf(request: StorageRequest, quota: StorageQuota): Promise<string | undefined> {
  const body = await receiveText(request.raw, MAX_BODY_BYTES, quota);
  if (body.trim() === '') return undefined;
  const message = parseXml(body).QueueMessage as { MessageText?: unknown } | undefined;
  const text = message?.MessageText;
  if (typeof text !== 'string') throw commonErrors.invalidXmlDocument();
  if (Buffer.byteLength(text, 'utf8') > MAX_MESSAGE_BYTES) throw commonErrors.requestBodyTooLarge(MAX_MESSAGE_BYTES);
  return text;
}

/**
 * One `<QueueMessage>` in Azure's element order. Peeked messages carry no
 * receipt (peeking hides nothing); Put Message answers no count or text.
 */
function messageXml(message: QueueMessage, parts: { receipt: boolean; content: boolean }): XmlNode {
  return {
    MessageId: message.id,
    InsertionTime: httpDate(message.insertedAt),
    ExpirationTime: httpDate(message.expiresAt),
    ...(parts.receipt ? { PopReceipt: message.popReceipt, TimeNextVisible: httpDate(message.visibleAt) } : {}),
    ...(parts.content ? { DequeueCount: message.dequeueCount, MessageText: message.text } : {}),
  };
}

function xmlResponse(status: number, list: XmlNode): StorageResponse {
  return { status, headers: { 'Content-Type': 'application/xml' }, body: toXml({ QueueMessagesList: list }) };
}

/** `popreceipt`: Azure's receipts are base64, so anything else is a malformed parameter, not a receipt that failed to match. */
function popReceiptOf(request: StorageRequest): string {
  const receipt = requiredQuery(request, 'popreceipt');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(receipt) || receipt.length % 4 !== 0) throw commonErrors.invalidQueryParameterValue('popreceipt', receipt);
  return receipt;
}
