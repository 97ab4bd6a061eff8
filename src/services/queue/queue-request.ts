import type { StorageRequest } from '../storage-common/request.js';
import { checkedDnsStyleName } from '../storage-common/names.js';
import { commonErrors } from '../storage-common/storage-error.js';

// Reading the parts of a queue request: the queue name and the numeric query parameters.

/** Seven days, the longest visibility timeout and the default time-to-live. */
export const SEVEN_DAYS_S = 7 * 24 * 60 * 60;

/** The queue of a request, checked against Azure's queue name rules. */
export function queueNameOf(request: StorageRequest): string {
  return checkedDnsStyleName(request.segments[0] ?? '');
}

/** The message id of `/<queue>/messages/<id>`. */
export function messageIdOf(request: StorageRequest): string {
  return request.segments[2] ?? '';
}

/** A whole-number query parameter; junk is InvalidQueryParameterValue. Undefined when absent. */
export function integerQuery(request: StorageRequest, name: string): number | undefined {
  const text = request.query.get(name);
  if (text === null) return undefined;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) throw commonErrors.invalidQueryParameterValue(name, text);
  return value;
}

/** A whole-number query parameter within [min, max]; outside it is OutOfRangeQueryParameterValue. */
export function rangedQuery(request: StorageRequest, name: string, min: number, max: number, fallback: number): number {
  const value = integerQuery(request, name);
  if (value === undefined) return fallback;
  if (value < min || value > max) throw commonErrors.outOfRangeQueryParameterValue(name, request.query.get(name)!, min, max);
  return value;
}

/** A query parameter the operation cannot do without. */
export function requiredQuery(request: StorageRequest, name: string): string {
  const value = request.query.get(name);
  if (value === null || value === '') throw commonErrors.missingRequiredQueryParameter(name);
  return value;
}
