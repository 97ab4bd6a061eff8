import { httpDate } from '../storage-common/dates.js';
import type { HeaderValue } from '../storage-common/response.js';
import type { StorageRequest } from '../storage-common/request.js';
import { commonErrors } from '../storage-common/storage-error.js';
import type { XmlNode } from '../storage-common/xml.js';
import { BlobDomainError } from './errors.js';
import type { BlobState, BlobType } from './model.js';

// Access tiers of block blobs on a standard account, and rehydration out of Archive.
// https://learn.microsoft.com/rest/api/storageservices/set-blob-tier

export type AccessTier = 'Hot' | 'Cool' | 'Cold' | 'Archive';
export type RehydratePriority = 'Standard' | 'High';

/** A move out of Archive under way: the blob stays archived until `completesAt` on the emulators' clock. */
export interface Rehydration {
  to: Exclude<AccessTier, 'Archive'>;
  priority: RehydratePriority;
  completesAt: number;
}

const STANDARD_TIERS: readonly AccessTier[] = ['Hot', 'Cool', 'Cold', 'Archive'];
// Premium page blob tiers: valid tier names, but for no blob type of a standard account, which this emulator is.
const PREMIUM_TIERS = /^P(4|6|10|15|20|30|40|50|60|70|80)$/i;

/**
 * The longest rehydration Azure documents for each priority ("up to 15
 * hours" for Standard; "under one hour" for High, for objects under 10 GB):
 * tests move the clock past it instead of waiting.
 */
export const REHYDRATION_MS: Record<RehydratePriority, number> = { Standard: 15 * 3_600_000, High: 3_600_000 };

/** `x-ms-access-tier` of an upload or copy, checked for the blob type it creates; undefined when absent. */
export function requestedTier(request: StorageRequest, type: BlobType): AccessTier | undefined {
  const text = request.header('x-ms-access-tier');
  if (text === undefined) return undefined;
  const tier = STANDARD_TIERS.find((t) => t.toLowerCase() === text.toLowerCase());
  if (!tier) {
    if (PREMIUM_TIERS.test(text)) throw new BlobDomainError('AccessTierNotSupportedForBlobType');
    throw commonErrors.invalidHeaderValue('x-ms-access-tier', text);
  }
  if (type !== 'BlockBlob') throw new BlobDomainError('AccessTierNotSupportedForBlobType');
  return tier;
}

/** `x-ms-rehydrate-priority`, Standard when absent. */
export function rehydratePriorityOf(request: StorageRequest): RehydratePriority {
  const text = request.header('x-ms-rehydrate-priority');
  if (text === undefined) return 'Standard';
  const priority = (['Standard', 'High'] as const).find((p) => p.toLowerCase() === text.toLowerCase());
  if (!priority) throw commonErrors.invalidHeaderValue('x-ms-rehydrate-priority', text);
  return priority;
}

/** The tier a blob shows at `now`: a rehydration whose time has come is complete. */
export interface TierView {
  tier: AccessTier;
  /** True while no tier was ever set: the account's default (Hot) applies. */
  inferred: boolean;
  changedOn?: number;
  rehydration?: Rehydration;
}

export function tierAt(state: BlobState, now: number): TierView {
  const r = state.rehydration;
  if (r && r.completesAt <= now) return { tier: r.to, inferred: false, changedOn: r.completesAt };
  return { tier: state.accessTier ?? 'Hot', inferred: state.accessTier === undefined, changedOn: state.accessTierChangedOn, rehydration: r };
}

export const isArchived = (state: BlobState, now: number): boolean => state.type === 'BlockBlob' && tierAt(state, now).tier === 'Archive';

/** Reads and changes of an archived blob's data are refused until it is rehydrated. */
export function assertNotArchived(state: BlobState, now: number): void {
  if (isArchived(state, now)) throw new BlobDomainError('BlobArchived');
}

/**
 * Set Blob Tier on a state (the base blob or a snapshot). Leaving Archive
 * starts a rehydration (202); every other change is immediate (200). The
 * tier is no content change: ETag and Last-Modified stay.
 */
export function changeTier(state: BlobState, tier: AccessTier, priority: RehydratePriority, now: number): 200 | 202 {
  const current = tierAt(state, now);
  if (current.rehydration) {
    if (tier !== current.rehydration.to) throw new BlobDomainError('BlobBeingRehydrated');
    // Asking again with High priority speeds a Standard rehydration up, as Azure allows.
    if (priority === 'High' && current.rehydration.priority === 'Standard') {
      state.rehydration = { ...current.rehydration, priority, completesAt: Math.min(current.rehydration.completesAt, now + REHYDRATION_MS.High) };
    }
    return 202;
  }
  if (current.tier === 'Archive' && tier !== 'Archive') {
    state.rehydration = { to: tier, priority, completesAt: now + REHYDRATION_MS[priority] };
    return 202;
  }
  Object.assign(state, { accessTier: tier, accessTierChangedOn: now, rehydration: undefined });
  return 200;
}

function archiveStatus(r: Rehydration | undefined): string | undefined {
  return r && `rehydrate-pending-to-${r.to.toLowerCase()}`;
}

/** Get Blob Properties' tier headers (block blobs only). */
export function tierHeaders(state: BlobState, now: number): Record<string, HeaderValue> {
  if (state.type !== 'BlockBlob') return {};
  const view = tierAt(state, now);
  return {
    'x-ms-access-tier': view.tier,
    'x-ms-access-tier-inferred': view.inferred,
    'x-ms-access-tier-change-time': view.changedOn === undefined ? undefined : httpDate(view.changedOn),
    'x-ms-archive-status': archiveStatus(view.rehydration),
    'x-ms-rehydrate-priority': view.rehydration?.priority,
  };
}

/** The tier elements of a `<Blob>` in List Blobs; AccessTierInferred only appears when true. */
export function tierXml(state: BlobState, now: number): XmlNode {
  if (state.type !== 'BlockBlob') return {};
  const view = tierAt(state, now);
  return {
    AccessTier: view.tier,
    ...(view.inferred ? { AccessTierInferred: true } : {}),
    ...(view.rehydration ? { ArchiveStatus: archiveStatus(view.rehydration), RehydratePriority: view.rehydration.priority } : {}),
    ...(view.changedOn !== undefined ? { AccessTierChangeTime: httpDate(view.changedOn) } : {}),
  };
}
