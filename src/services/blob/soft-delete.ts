import { httpDate } from '../storage-common/dates.js';
import type { XmlNode } from '../storage-common/xml.js';
import { BlobDomainError } from './errors.js';
import type { Retention } from './model.js';

// Soft delete: https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview
// and https://learn.microsoft.com/azure/storage/blobs/soft-delete-container-overview.
// A retention period applies to what is deleted while it is set: changing
// it later leaves the items already deleted to the period they got.

const DAY_MS = 86_400_000;
/** Azure keeps soft-deleted items between 1 and 365 days. */
export const MAX_RETENTION_DAYS = 365;

/** The blob retention of an account's service properties (`DeleteRetentionPolicy`), in days; undefined while it is off. */
export function blobRetentionDays(serviceProperties: Record<string, unknown>): number | undefined {
  const policy = serviceProperties.DeleteRetentionPolicy as Record<string, unknown> | undefined;
  if (policy === undefined || String(policy.Enabled).toLowerCase() !== 'true') return undefined;
  return Number(policy.Days);
}

/**
 * Checks a `DeleteRetentionPolicy` a client sets: switched on, it needs
 * `Days` from 1 to 365 (Azure: 400 InvalidXmlNodeValue otherwise).
 */
export function checkDeleteRetentionPolicy(policy: unknown): void {
  if (policy === undefined) return;
  const fields = typeof policy === 'object' && policy !== null ? (policy as Record<string, unknown>) : {};
  const enabled = String(fields.Enabled).toLowerCase();
  if (enabled !== 'true' && enabled !== 'false') throw new BlobDomainError('InvalidXmlNodeValue', 'DeleteRetentionPolicy needs Enabled true or false.');
  if (enabled === 'false') return;
  const days = Number(fields.Days);
  if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new BlobDomainError('InvalidXmlNodeValue', `DeleteRetentionPolicy Days must be a whole number from 1 to ${MAX_RETENTION_DAYS} when Enabled is true.`);
  }
}

export function retentionOf(now: number, days: number): Retention {
  return { deletedAt: now, expiresAt: now + days * DAY_MS };
}

export function hasExpired(retention: Retention, now: number): boolean {
  return retention.expiresAt <= now;
}

/** `DeletedTime` and `RemainingRetentionDays` of a listing: whole days left, the one under way counted. */
export function deletedPropertiesXml(retention: Retention, now: number): XmlNode {
  return { DeletedTime: httpDate(retention.deletedAt), RemainingRetentionDays: Math.max(0, Math.ceil((retention.expiresAt - now) / DAY_MS)) };
}
