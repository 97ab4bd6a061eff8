import { parseDate } from './dates.js';
import { commonErrors } from './storage-error.js';

/** What conditional headers are evaluated against; undefined when the resource does not exist. */
export interface ConditionTarget {
  etag: string;
  lastModified: number;
}

export type FailedCondition = 'If-Match' | 'If-None-Match' | 'If-Modified-Since' | 'If-Unmodified-Since';

/**
 * Evaluates If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since
 * in RFC 7232 order; returns the header that failed, or undefined. Dates
 * compare at whole seconds, the precision of HTTP dates. Unparseable dates
 * are ignored, as HTTP asks.
 */
export function failedCondition(header: (name: string) => string | undefined, target: ConditionTarget | undefined): FailedCondition | undefined {
  const ifMatch = header('if-match');
  const ifNoneMatch = header('if-none-match');
  const ifModifiedSince = parseDate(header('if-modified-since'));
  const ifUnmodifiedSince = parseDate(header('if-unmodified-since'));
  if (ifMatch !== undefined) {
    if (!target || !etagListMatches(ifMatch, target.etag)) return 'If-Match';
  } else if (ifUnmodifiedSince !== undefined && target && seconds(target.lastModified) > seconds(ifUnmodifiedSince)) {
    return 'If-Unmodified-Since';
  }
  if (ifNoneMatch !== undefined) {
    if (target && etagListMatches(ifNoneMatch, target.etag)) return 'If-None-Match';
  } else if (ifModifiedSince !== undefined && target && seconds(target.lastModified) <= seconds(ifModifiedSince)) {
    return 'If-Modified-Since';
  }
  return undefined;
}

/**
 * Throws Azure's answer to a failed condition: reads answer 304 when the
 * client's copy is current (If-None-Match, If-Modified-Since), everything
 * else 412 ConditionNotMet.
 */
export function assertConditions(
  header: (name: string) => string | undefined,
  target: ConditionTarget | undefined,
  kind: 'read' | 'write',
): void {
  const failed = failedCondition(header, target);
  if (failed === undefined) return;
  if (kind === 'read' && (failed === 'If-None-Match' || failed === 'If-Modified-Since')) throw commonErrors.notModified();
  throw commonErrors.conditionNotMet();
}

function etagListMatches(list: string, etag: string): boolean {
  return list.split(',').some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, '');
    return tag === '*' || unquote(tag) === unquote(etag);
  });
}

function unquote(tag: string): string {
  return tag.startsWith('"') && tag.endsWith('"') && tag.length >= 2 ? tag.slice(1, -1) : tag;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
