import { randomUUID } from 'node:crypto';
import { BlobDomainError } from './errors.js';

export type LeaseState = 'available' | 'leased' | 'expired' | 'breaking' | 'broken';

/** A lease as stored; its state moves with time, so read it through {@link leaseAt}. */
export interface Lease {
  state: LeaseState;
  id?: string;
  /** Seconds; -1 for an infinite lease. */
  duration?: number;
  expiresAt?: number;
  breakAt?: number;
}

export const NO_LEASE: Lease = Object.freeze({ state: 'available' });

/** The lease as it stands at `now`: fixed leases expire, breaking leases become broken. */
export function leaseAt(lease: Lease, now: number): Lease {
  if (lease.state === 'leased' && lease.expiresAt !== undefined && now >= lease.expiresAt) return { ...lease, state: 'expired' };
  if (lease.state === 'breaking' && lease.breakAt !== undefined && now >= lease.breakAt) return { ...lease, state: 'broken' };
  return lease;
}

/** Locked while a lease holds the resource, breaking included. */
export function isLocked(lease: Lease): boolean {
  return lease.state === 'leased' || lease.state === 'breaking';
}

export function acquireLease(current: Lease, now: number, duration: number, proposedId: string | undefined): Lease {
  if (current.state === 'breaking') throw new BlobDomainError('LeaseIsBreakingAndCannotBeAcquired');
  if (current.state === 'leased' && current.id !== proposedId) throw new BlobDomainError('LeaseAlreadyPresent');
  return activeLease(proposedId ?? randomUUID(), duration, now);
}

// Renew and release name a lease id, so with no lease at all Azure answers that the id does not match.
export function renewLease(current: Lease, now: number, id: string): Lease {
  if (current.id !== id) throw new BlobDomainError('LeaseIdMismatchWithLeaseOperation');
  if (current.state === 'breaking' || current.state === 'broken') throw new BlobDomainError('LeaseIsBrokenAndCannotBeRenewed');
  return activeLease(id, current.duration ?? -1, now);
}

export function changeLease(current: Lease, id: string, proposedId: string): Lease {
  if (current.state === 'breaking') throw new BlobDomainError('LeaseIsBreakingAndCannotBeChanged');
  if (current.state !== 'leased') throw new BlobDomainError('LeaseNotPresentWithLeaseOperation');
  if (current.id !== id && current.id !== proposedId) throw new BlobDomainError('LeaseIdMismatchWithLeaseOperation');
  return { ...current, id: proposedId };
}

export function releaseLease(current: Lease, id: string): Lease {
  if (current.id !== id) throw new BlobDomainError('LeaseIdMismatchWithLeaseOperation');
  return NO_LEASE;
}

/**
 * Breaks a lease; `period` (seconds) defaults to what is left of a fixed lease, 0 for an infinite one.
 * The seconds left are rounded, as Azurite does: a client polling until 0 never sees a lease that broke early.
 */
export function breakLease(current: Lease, now: number, period: number | undefined): { lease: Lease; secondsLeft: number } {
  if (current.state === 'available' || current.state === 'expired') throw new BlobDomainError('LeaseNotPresentWithLeaseOperation');
  if (current.state === 'broken') return { lease: current, secondsLeft: 0 };
  const end = current.state === 'breaking' ? current.breakAt : current.expiresAt;
  const remaining = end === undefined ? undefined : end - now;
  const requested = period === undefined ? undefined : period * 1000;
  const breakIn = Math.min(requested ?? remaining ?? 0, remaining ?? Infinity);
  if (breakIn <= 0) return { lease: { ...current, state: 'broken', breakAt: now }, secondsLeft: 0 };
  return { lease: { ...current, state: 'breaking', breakAt: now + breakIn }, secondsLeft: Math.round(breakIn / 1000) };
}

/**
 * Checks the `x-ms-lease-id` of a read or write against the lease. Writes to a
 * locked resource need the lease id; reads only need it to match when given.
 */
export function checkLeaseAccess(lease: Lease, leaseId: string | undefined, kind: 'read' | 'write', on: 'blob' | 'container'): void {
  if (isLocked(lease)) {
    if (leaseId === undefined) {
      if (kind === 'write') throw new BlobDomainError('LeaseIdMissing');
      return;
    }
    if (leaseId !== lease.id) throw new BlobDomainError(on === 'blob' ? 'LeaseIdMismatchWithBlobOperation' : 'LeaseIdMismatchWithContainerOperation');
    return;
  }
  if (leaseId === undefined) return;
  if (lease.state === 'expired' && lease.id === leaseId && kind === 'write') throw new BlobDomainError('LeaseLost');
  throw new BlobDomainError(on === 'blob' ? 'LeaseNotPresentWithBlobOperation' : 'LeaseNotPresentWithContainerOperation');
}

function activeLease(id: string, duration: number, now: number): Lease {
  return { state: 'leased', id, duration, ...(duration === -1 ? {} : { expiresAt: now + duration * 1000 }) };
}
