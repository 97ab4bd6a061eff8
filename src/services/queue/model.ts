import type { SignedIdentifier } from '../storage-common/access-policy.js';
import type { QueueMessages } from './queue-messages.js';

/** Azure's "never expires" (`messagettl=-1`): the last second of year 9999. */
export const NEVER_EXPIRES = Date.UTC(9999, 11, 31, 23, 59, 59);

/** The largest message text, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface QueueMessage {
  id: string;
  text: string;
  insertedAt: number;
  expiresAt: number;
  /** Invisible to receive and peek until then. */
  visibleAt: number;
  dequeueCount: number;
  /** The receipt of the latest receive or update; delete and update must present it. */
  popReceipt: string;
}

export interface QueueRecord {
  name: string;
  metadata: Record<string, string>;
  signedIdentifiers: SignedIdentifier[];
  messages: QueueMessages;
}
